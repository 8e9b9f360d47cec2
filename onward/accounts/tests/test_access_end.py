"""Staff resetting a PIN or changing a contact, or supervision ending, signs the person out everywhere."""

import pytest
from django.urls import reverse

from onward.accounts.models import DeviceToken
from onward.accounts.services import device_token_create, person_account_ensure, person_pin_set
from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.services import person_supervision_end, person_update
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _signed_in_everywhere(person, person_client):
    """A web session and a device token, both working."""
    client = person_client(person)
    assert client.get("/me/").status_code == 200
    token = device_token_create(actor=person_account_ensure(person), name="Synthetic phone").token
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    return client, token


def _signed_out_everywhere(person, client, token):
    signed_out = client.get("/me/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("accounts:person_sign_in"))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert not DeviceToken.objects.filter(user__person=person, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="account.access_ended", person=person).exists()


def test_a_pin_reset_by_staff_ends_every_session_and_device(org, make_staff, person_client):
    person = PersonFactory(unit=org["wing_a"])
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person_pin_set(actor=worker, person=person, pin="4321")  # the first PIN: nothing to end yet
    client, token = _signed_in_everywhere(person, person_client)

    person_pin_set(actor=worker, person=person, pin="8642", reason="Forgot PIN")

    _signed_out_everywhere(person, client, token)


def test_a_phone_number_changed_by_staff_ends_every_session_and_device(org, make_staff, person_client):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900001")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client, token = _signed_in_everywhere(person, person_client)

    person_update(actor=practitioner, person=person, fields={"phone": "07700900002"})

    _signed_out_everywhere(person, client, token)
    event = AuditEvent.objects.get(action="account.access_ended", person=person)
    assert "phone" in event.reason


def test_other_changes_leave_the_person_signed_in(org, make_staff, person_client):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900001")
    client, token = _signed_in_everywhere(person, person_client)

    person_update(actor=practitioner, person=person, fields={"first_name": "Synthetic"})

    assert client.get("/me/").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_the_end_of_supervision_ends_every_session_and_device(org, make_staff, person_client):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client, token = _signed_in_everywhere(person, person_client)

    person_supervision_end(actor=practitioner, person=person, reason="Licence expired")

    _signed_out_everywhere(person, client, token)
