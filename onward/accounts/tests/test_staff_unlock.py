"""A member of staff locked out by wrong passwords unlocks their own account with password and authenticator."""

import pytest
from django.test import Client

from onward.accounts.tests.factories import TEST_PASSWORD, totp_code
from onward.audit.models import AuditEvent
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def _lock(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"email": user.username, "password": "not the password"})
    locked = client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 403
    return locked


def test_a_locked_out_member_of_staff_unlocks_with_password_and_code(org, make_staff, settings):
    user = make_staff(Role.PRACTITIONER, org["office_n"])
    client = Client()
    locked = _lock(client, user, settings)
    assert "/sign-in/unlock/" in locked.content.decode()  # the way out is on the page

    response = client.post(
        "/sign-in/unlock/",
        {"email": user.username, "password": TEST_PASSWORD, "code": totp_code(user.totpdevice_set.get())},
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="account.staff_self_unlocked", actor=user).exists()
    # Unlocked for good: the next sign-in with the password alone goes on to the code, as usual.
    again = Client().post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert again["Location"] == "/sign-in/code/"


@pytest.mark.parametrize("wrong", ["password", "code"])
def test_either_part_wrong_unlocks_nothing_and_says_the_same(org, make_staff, settings, wrong):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_staff(Role.PRACTITIONER, org["office_n"])
    client = Client()
    _lock(client, user, settings)
    right_code = totp_code(user.totpdevice_set.get())
    response = client.post(
        "/sign-in/unlock/",
        {
            "email": user.username,
            "password": "not the password" if wrong == "password" else TEST_PASSWORD,
            "code": ("000000" if right_code != "000000" else "111111") if wrong == "code" else right_code,
        },
    )
    assert response.status_code == 400
    assert "The email address, password or code is not right" in response.content.decode()
    assert client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD}).status_code == 403
    assert not AuditEvent.objects.filter(action="account.staff_self_unlocked").exists()
