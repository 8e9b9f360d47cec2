"""A staff member's authenticator app is set up only with a one-use, expiring code from an administrator."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.accounts.models import AuthenticatorEnrolment
from onward.accounts.services import authenticator_enrolment_issue
from onward.accounts.tests.factories import TEST_PASSWORD, StaffFactory, StaffRoleFactory, totp_code
from onward.audit.models import AuditEvent
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db

SETUP = "/sign-in/set-up-code/"


@pytest.fixture
def administrator(org, make_staff):
    return make_staff(Role.ADMINISTRATOR, org["north"])


@pytest.fixture
def new_staff(org):
    user = StaffFactory()
    StaffRoleFactory(user=user, role=Role.KEY_WORKER, unit=org["ngt"])
    return user


def _password(user, client=None):
    client = client or Client()
    response = client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client, response


def _set_up(client, user, code):
    """Give the set-up code, then the app's first code; the last answer."""
    response = client.post(SETUP, {"code": code})
    if response.status_code != 302:
        return response
    assert response["Location"] == SETUP
    page = client.get(SETUP)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(SETUP, {"code": totp_code(device)})


def test_the_password_alone_cannot_choose_the_second_factor(new_staff):
    client, response = _password(new_staff)
    assert response["Location"] == SETUP
    page = client.get(SETUP).content.decode()
    assert "set-up code from an administrator" in page
    assert "<svg" not in page  # no key to scan before an administrator's code
    assert not TOTPDevice.objects.filter(user=new_staff).exists()
    refused = client.post(SETUP, {"code": "ABCDE-FGH23"})
    assert refused.status_code == 400
    assert "not right, or it has run out or been used" in refused.content.decode()
    assert client.get("/staff/").status_code in (302, 403)


def test_an_administrators_code_sets_up_the_app_once(new_staff, administrator):
    code = authenticator_enrolment_issue(actor=administrator, user=new_staff)
    client, _response = _password(new_staff)
    signed_in = _set_up(client, new_staff, code)
    assert signed_in.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert TOTPDevice.objects.get(user=new_staff).confirmed
    assert AuthenticatorEnrolment.objects.get(user=new_staff).used_at is not None
    issued = AuditEvent.objects.get(action="account.authenticator_enrolment_issued")
    assert issued.actor == administrator
    assert AuditEvent.objects.filter(action="account.authenticator_set_up", actor=new_staff).exists()
    # The code is used up: someone else with the password cannot use it to add their own app.
    other, _response = _password(new_staff)
    assert other.post(SETUP, {"code": code}).status_code == 400


def test_a_set_up_code_runs_out(new_staff, administrator, clock, settings):
    settings.AUTHENTICATOR_ENROLMENT_HOURS = 72
    code = authenticator_enrolment_issue(actor=administrator, user=new_staff)
    clock.move(hours=72, seconds=1)
    client, _response = _password(new_staff)
    assert client.post(SETUP, {"code": code}).status_code == 400


def test_a_new_code_replaces_an_unused_one_and_only_an_administrator_issues_them(new_staff, administrator, org):
    first = authenticator_enrolment_issue(actor=administrator, user=new_staff)
    second = authenticator_enrolment_issue(actor=administrator, user=new_staff)
    client, _response = _password(new_staff)
    assert client.post(SETUP, {"code": first}).status_code == 400
    assert _set_up(client, new_staff, second).status_code == 302
    with pytest.raises(PermissionDenied):
        authenticator_enrolment_issue(actor=new_staff, user=StaffFactory())


def test_a_lost_phone_is_replaced_with_a_new_code(org, make_staff, administrator):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])  # has an authenticator already
    old = worker.totpdevice_set.get()
    code = authenticator_enrolment_issue(actor=administrator, user=worker)
    client, response = _password(worker)
    assert response["Location"] == "/sign-in/code/"
    assert SETUP in client.get("/sign-in/code/").content.decode()  # the way to set up a new one
    assert _set_up(client, worker, code).status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()  # the lost phone's codes no longer work


def test_the_admin_action_shows_the_code_once_and_audits_it(new_staff, administrator, staff_client):
    client = staff_client(administrator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_authenticator_set_up_code", "_selected_action": [new_staff.pk]},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Set-up code for {new_staff.username}" in page
    assert AuthenticatorEnrolment.objects.filter(user=new_staff, created_by=administrator).count() == 1
    assert AuditEvent.objects.filter(action="account.authenticator_enrolment_issued", actor=administrator).exists()
