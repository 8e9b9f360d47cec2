"""Staff create and edit a person: validation, scope, audit of what changed, transfers, duplicates."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from onward.audit.models import AuditEvent
from onward.core import events
from onward.organisations.models import Role
from onward.people.events import PersonTransferred
from onward.people.forms import person_form_initial
from onward.people.models import AssignmentRole, Person, Status
from onward.people.services import PersonDetailsInvalid, person_create, person_update
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _new(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "first_name": "Synthetic",
        "last_name": "Newperson",
        "date_of_birth": "1991-02-03",
        "crn": "X700001",
        "status": Status.LICENCE,
        "unit": org["office_n"],
        "address_line_1": "21 Quarry Street",
        "town": "Leeds",
        "postcode": "LS1 3ED",
        "phone": "07700 900555",
        "licence_expiry_date": "2027-06-01",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def practitioner(org: dict[str, Any], make_staff: Any) -> Any:
    return make_staff(Role.PRACTITIONER, org["office_n"])


def test_a_practitioner_creates_a_person_placed_by_postcode(org: dict[str, Any], practitioner: Any) -> None:
    person = person_create(actor=practitioner, fields=_new(org))
    person.refresh_from_db()
    assert (person.crn, person.prison_number, person.unit) == ("X700001", None, org["office_n"])
    assert person.address == "21 Quarry Street\nLeeds\nLS1 3ED"
    assert person.address_latitude == pytest.approx(53.8006, abs=0.001)
    assert person.address_precision_m == 100
    assert person.phone == "07700900555"
    assert person.phone_verified_at is None  # not used until they show it is theirs
    event = AuditEvent.objects.get(action="person.created", person=person)
    assert event.actor == practitioner
    assert event.data["after"]["crn"] == "X700001"
    assert event.data["after"]["unit"] == {"id": org["office_n"].pk, "code": "OFF-N"}


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        (Role.PRACTITIONER, "office_n", True),
        (Role.SENIOR, "pdu_n", True),
        (Role.ADMINISTRATOR, "north", True),
        (Role.POM, "ngt", False),  # a POM may add people to their prison, not to a probation office
        (Role.PRACTITIONER, "office_s", False),
        (Role.KEY_WORKER, "north", False),
        (Role.SECURITY, "north", False),
    ],
)
def test_only_editing_roles_create_and_only_in_their_area(
    org: dict[str, Any], make_staff: Any, role: str, unit: str, allowed: bool
) -> None:
    actor = make_staff(role, org[unit])
    if allowed:
        assert person_create(actor=actor, fields=_new(org)).pk
    else:
        with pytest.raises(PermissionDenied):
            person_create(actor=actor, fields=_new(org))
        assert not Person.objects.filter(crn="X700001").exists()


def test_a_pom_creates_someone_in_their_prison(org: dict[str, Any], make_staff: Any) -> None:
    pom = make_staff(Role.POM, org["ngt"])
    fields = _new(org, crn="", prison_number="A1234BC", status=Status.SENTENCED, unit=org["wing_a"])
    assert person_create(actor=pom, fields=fields).prison_number == "A1234BC"


def test_a_duplicate_is_refused_naming_the_field(org: dict[str, Any], practitioner: Any) -> None:
    existing = CommunityPersonFactory(crn="X700001", unit=org["office_n"])
    with pytest.raises(PersonDetailsInvalid) as refused:
        person_create(actor=practitioner, fields=_new(org))
    assert [(e.field, e.existing_person_id) for e in refused.value.field_errors] == [("crn", existing.pk)]
    assert Person.objects.filter(crn="X700001").count() == 1


def test_an_edit_audits_only_what_changed_with_before_and_after(org: dict[str, Any], practitioner: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], risk_level="low", phone="07700900001")
    change = person_update(
        actor=practitioner,
        person=person,
        fields={"risk_level": "high", "phone": "07700900001", "parole_eligibility_date": ""},
        reason="New information",
    )
    assert change.changed == ["risk_level"]
    event = AuditEvent.objects.get(action="person.updated", person=person)
    assert event.data == {"before": {"risk_level": "low"}, "after": {"risk_level": "high"}}
    assert event.reason == "New information"
    person.refresh_from_db()
    assert person.phone_verified_at is not None  # the same phone stays checked


def test_an_edit_that_changes_nothing_writes_nothing(org: dict[str, Any], practitioner: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    before = Person.objects.get(pk=person.pk).updated_at
    change = person_update(actor=practitioner, person=person, fields={"first_name": f"  {person.first_name} "})
    assert change.changed == []
    assert not AuditEvent.objects.filter(action="person.updated").exists()
    assert Person.objects.get(pk=person.pk).updated_at == before


def test_a_new_phone_number_is_unchecked_until_shown_to_be_theirs(org: dict[str, Any], practitioner: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900001")
    person_update(actor=practitioner, person=person, fields={"phone": "+447700900002"})
    person.refresh_from_db()
    assert (person.phone, person.phone_verified_at) == ("07700900002", None)


def test_a_change_of_unit_is_a_transfer_that_others_hear_of(
    org: dict[str, Any], make_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[PersonTransferred] = []
    monkeypatch.setitem(events._SUBSCRIBERS, PersonTransferred, [heard.append])
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    change = person_update(actor=senior, person=person, fields={"unit_code": "OFF-N2"})
    assert change.transferred
    assert [(e.person.pk, e.from_unit, e.to_unit) for e in heard] == [(person.pk, org["office_n"], org["office_n2"])]
    event = AuditEvent.objects.get(action="person.updated", person=person)
    assert event.data["before"]["unit"]["code"] == "OFF-N"
    assert event.data["after"]["unit"]["code"] == "OFF-N2"


def test_release_and_ending_supervision_have_their_own_steps(org: dict[str, Any], make_staff: Any) -> None:
    pom = make_staff(Role.POM, org["ngt"])
    person = PersonFactory(unit=org["wing_a"])
    person_update(actor=pom, person=person, fields={"status": Status.REMAND, "unit": org["wing_b"]})
    with pytest.raises(PersonDetailsInvalid) as refused:
        person_update(actor=pom, person=person, fields={"status": Status.LICENCE, "unit": org["office_n"]})
    assert "Record release" in refused.value.field_errors[0].message
    person.refresh_from_db()
    assert (person.status, person.unit) == (Status.REMAND, org["wing_b"])


def test_edit_scope_follows_the_unit_or_the_caseload(org: dict[str, Any], make_staff: Any) -> None:
    mine = CommunityPersonFactory(unit=org["office_n2"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    with pytest.raises(PermissionDenied):
        person_update(actor=practitioner, person=mine, fields={"risk_level": "high"})
    StaffAssignmentFactory(person=mine, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    practitioner.__dict__.pop("_onward_policy_answers", None)  # the answers the policy kept, as a new request has none
    assert person_update(actor=practitioner, person=mine, fields={"risk_level": "high"}).changed == ["risk_level"]


def test_key_dates_are_kept_in_order(org: dict[str, Any], practitioner: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], conditional_release_date=dt.date(2026, 1, 10))
    with pytest.raises(PersonDetailsInvalid) as refused:
        person_update(actor=practitioner, person=person, fields={"licence_expiry_date": "2025-12-01"})
    assert refused.value.field_errors[0].field == "licence_expiry_date"


# --- pages ------------------------------------------------------------------------------------


def _form(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Synthetic",
        "last_name": "Pagecreated",
        "date_of_birth": "03 02 1991",
        "crn": "X700002",
        "status": "licence",
        "unit": org["office_n"].pk,
        "address_line_1": "21 Quarry Street",
        "town": "Leeds",
        "postcode": "ls1 3ed",
        "phone": "",
        "email": "",
        "preferred_language": "en-gb",
        "risk_level": "medium",
    }
    data.update(overrides)
    return data


def test_the_add_page_creates_and_shows_the_record(org: dict[str, Any], practitioner: Any, staff_client: Any) -> None:
    client = staff_client(practitioner)
    assert "Add a person" in client.get("/staff/").content.decode()
    assert client.get("/staff/people/new/").status_code == 200
    response = client.post("/staff/people/new/", _form(org))
    person = Person.objects.get(crn="X700002")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/people/{person.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "Pagecreated" in body
    assert "LS1 3ED" in body
    assert "postcode centre, about 100 m" in body


def test_the_add_page_names_each_problem_and_keeps_what_was_typed(
    org: dict[str, Any], practitioner: Any, staff_client: Any
) -> None:
    response = staff_client(practitioner).post(
        "/staff/people/new/", _form(org, postcode="ZZ9 9ZZ", date_of_birth="31 02 1991")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert 'href="#id_postcode"' in body
    assert 'href="#id_date_of_birth"' in body
    assert 'value="Pagecreated"' in body
    assert not Person.objects.filter(crn="X700002").exists()


def test_a_duplicate_links_to_the_record_only_for_those_who_may_see_it(
    org: dict[str, Any], make_staff: Any, staff_client: Any
) -> None:
    existing = CommunityPersonFactory(crn="X700002", unit=org["office_n"])
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    body = staff_client(senior).post("/staff/people/new/", _form(org)).content.decode()
    assert f'href="/staff/people/{existing.pk}/"' in body
    admin = make_staff(Role.ADMINISTRATOR, org["north"])  # edits, but does not see casework records
    body = staff_client(admin).post("/staff/people/new/", _form(org)).content.decode()
    assert "Someone already has the case reference number X700002" in body
    assert f'href="/staff/people/{existing.pk}/"' not in body


def test_the_edit_page_saves_changes(org: dict[str, Any], practitioner: Any, staff_client: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    client = staff_client(practitioner)
    page = client.get(f"/staff/people/{person.pk}/edit/")
    assert page.status_code == 200
    assert person.last_name in page.content.decode()
    data = {k: v for k, v in person_form_initial(person).items() if v is not None}
    data.update(hdc_actual_date="", rotl_eligibility_date="", parole_eligibility_date="01 06 2026")
    response = client.post(f"/staff/people/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.parole_eligibility_date == dt.date(2026, 6, 1)
    event = AuditEvent.objects.get(action="person.updated", person=person)
    assert list(event.data["after"]) == ["parole_eligibility_date"]


def test_key_workers_and_security_cannot_open_the_add_page(
    org: dict[str, Any], make_staff: Any, staff_client: Any
) -> None:
    for role in (Role.KEY_WORKER, Role.SECURITY, Role.CONTENT_EDITOR):
        assert staff_client(make_staff(role, org["ngt"])).get("/staff/people/new/").status_code == 403
