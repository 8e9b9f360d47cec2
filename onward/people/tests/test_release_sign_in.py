"""Release lets the person back in: a checked phone (or a printed letter), and a clear page for the releasing POM."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from onward.accounts.services import SignInRefused, person_pin_set, person_pin_sign_in
from onward.accounts.tests.factories import sign_in_codes_send_queued
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage
from onward.notifications.services import contact_for
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person, Status
from onward.people.services import PersonDetailsInvalid, contact_code_send, contact_verify
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db

COMMUNITY_PHONE = "07700 900321"


@pytest.fixture
def daniel(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A synthetic person in custody who signs in with a prison number and PIN, and his POM."""
    pom = make_staff(Role.POM, org["ngt"], first_name="Priya", last_name="Pomtest")
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Paula", last_name="Practest")
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel", prison_number="A9876BC")
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    person_pin_set(actor=worker, person=person, pin="2468")
    return {"person": person, "pom": pom, "practitioner": practitioner}


def _release_form(org: dict[str, Any], daniel: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "release_date": timezone.localdate().isoformat(),
        "status": Status.LICENCE,
        "supervising_unit": org["office_n"].pk,
        "practitioner": daniel["practitioner"].pk,
        "address_line_1": "Flat 2, 21 Quarry Street",
        "town": "Leeds",
        "postcode": "LS1 3ED",
        "phone": COMMUNITY_PHONE,
        "email": "",
        "contact_check": "code",
    }
    data.update(overrides)
    return data


def _last_code(recipient: str) -> str:
    message = OutboxMessage.objects.filter(recipient=recipient).latest("pk")
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def test_after_release_daniel_signs_in_by_a_code_to_the_phone_checked_at_release(
    org: dict[str, Any], daniel: dict[str, Any], staff_client: Any
) -> None:
    person = daniel["person"]
    pom = staff_client(daniel["pom"])
    url = f"/staff/people/{person.pk}/release/"
    # The POM sends a code to the phone he gives; he reads it back.
    sent = pom.post(url, {**_release_form(org, daniel), "send_code": "sms"})
    assert sent.status_code == 200
    assert "We sent a code" in sent.content.decode()
    assert Person.objects.get(pk=person.pk).status == Status.SENTENCED  # nothing released yet
    code = _last_code("07700900321")
    wrong = pom.post(url, _release_form(org, daniel, phone_code="000000" if code != "000000" else "111111"))
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    done = pom.post(url, _release_form(org, daniel, phone_code=code))
    body = done.content.decode()
    assert done.status_code == 200
    assert "Release recorded" in body
    assert "Paula Practest" in body
    assert "They can sign in with a code sent to their checked phone" in body
    assert "They are no longer on your caseload" in body
    assert done["Cache-Control"] == "no-store"
    # The POM no longer sees him: the record is refused, the confirmation was the answer.
    assert pom.get(f"/staff/people/{person.pk}/").status_code == 403

    person.refresh_from_db()
    assert (person.status, person.unit, person.phone) == (Status.LICENCE, org["office_n"], "07700900321")
    assert person.phone_verified_at is not None
    assert person.address_precision_m == 100
    assert contact_for(person, "sms") == ("sms", "07700900321")
    # His PIN no longer works; a code to the checked phone does.
    with pytest.raises(SignInRefused):
        person_pin_sign_in(prison_number="A9876BC", pin="2468")
    client = Client()
    assert client.post("/me/sign-in/code/", {"contact": COMMUNITY_PHONE}).status_code == 302
    sign_in_codes_send_queued()
    entered = client.post("/me/sign-in/code/enter/", {"code": _last_code("07700900321")})
    assert entered.status_code == 302
    home = client.get("/me/").content.decode()
    assert "Daniel" in home
    assert "Licence ends" in home  # the key dates moved on to the community ones
    assert "You were released on" in home


def test_an_activation_letter_printed_at_release_lets_him_in(
    org: dict[str, Any], daniel: dict[str, Any], staff_client: Any
) -> None:
    person = daniel["person"]
    done = staff_client(daniel["pom"]).post(
        f"/staff/people/{person.pk}/release/",
        _release_form(org, daniel, phone="", contact_check="", activation_letter="on"),
    )
    body = done.content.decode()
    assert done.status_code == 200
    code = re.search(r'data-testid="activation-code">([A-Z0-9-]+)<', body)
    assert code, body
    event = AuditEvent.objects.get(action="account.activation_code_issued", person=person)
    assert event.actor == daniel["pom"]
    client = Client()
    response = client.post("/me/activate/", {"code": code.group(1)})
    assert response.status_code == 302
    assert "Daniel" in client.get("/me/").content.decode()


def test_release_needs_a_way_back_in(org: dict[str, Any], daniel: dict[str, Any], staff_client: Any) -> None:
    response = staff_client(daniel["pom"]).post(
        f"/staff/people/{daniel['person'].pk}/release/", _release_form(org, daniel, contact_check="")
    )
    assert response.status_code == 400
    assert "They need a way to sign in" in response.content.decode()
    assert Person.objects.get(pk=daniel["person"].pk).status == Status.SENTENCED


def test_confirmed_in_person_counts_as_checked(org: dict[str, Any], daniel: dict[str, Any], staff_client: Any) -> None:
    staff_client(daniel["pom"]).post(
        f"/staff/people/{daniel['person'].pk}/release/", _release_form(org, daniel, contact_check="in_person")
    )
    person = Person.objects.get(pk=daniel["person"].pk)
    assert person.phone_verified
    event = AuditEvent.objects.get(action="person.released", person=person)
    assert event.data["contact_check"] == "in_person"
    assert event.data["phone_verified"] is True


# --- checking a contact after the fact ---------------------------------------------------------


def test_an_unchecked_phone_is_not_used_until_the_person_types_the_code(
    org: dict[str, Any], make_staff: Any, person_client: Any
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900777", phone_verified_at=None)
    assert contact_for(person, "sms") == ("in_app", "")
    contact_code_send(actor=practitioner, person=person, channel="sms")
    message = OutboxMessage.objects.get(recipient="07700900777")
    assert message.channel == "sms"
    with pytest.raises(PersonDetailsInvalid):
        contact_verify(actor=practitioner, person=person, channel="sms", code="not-it")
    client = person_client(person)
    page = client.get("/me/contact/")
    assert page.status_code == 200
    response = client.post("/me/contact/", {"channel": "sms", "action": "verify", "code": _last_code("07700900777")})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone_verified
    assert contact_for(person, "sms") == ("sms", "07700900777")
    assert AuditEvent.objects.get(action="person.contact_verified", person=person).actor_role == "person"


def test_staff_confirm_in_person_on_the_contact_page(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], email="someone@example.org", email_verified_at=None)
    client = staff_client(practitioner)
    assert "Not checked" in client.get(f"/staff/people/{person.pk}/contact/").content.decode()
    response = client.post(f"/staff/people/{person.pk}/contact/", {"channel": "email", "action": "in_person"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_verified


def test_a_code_sign_in_is_refused_for_an_unchecked_phone(org: dict[str, Any]) -> None:
    CommunityPersonFactory(unit=org["office_n"], phone="07700900888", phone_verified_at=None)
    Client().post("/me/sign-in/code/", {"contact": "07700900888"})
    assert sign_in_codes_send_queued() == 1
    assert not OutboxMessage.objects.filter(recipient="07700900888").exists()


def test_a_checked_contact_needs_a_contact(org: dict[str, Any], daniel: dict[str, Any], staff_client: Any) -> None:
    response = staff_client(daniel["pom"]).post(
        f"/staff/people/{daniel['person'].pk}/release/", _release_form(org, daniel, phone="", contact_check="in_person")
    )
    assert response.status_code == 400
    assert "Enter the mobile phone number or email you checked." in response.content.decode()
    assert Person.objects.get(pk=daniel["person"].pk).status == Status.SENTENCED
