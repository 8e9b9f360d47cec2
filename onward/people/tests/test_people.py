import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from onward.accounts.services import person_account_ensure, person_pin_set
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person, StaffAssignment, Status
from onward.people.selectors import CaseloadFilter, caseload_for, person_get
from onward.people.services import (
    ConditionChoice,
    ReleaseDetails,
    licence_confirm,
    licence_version_issue,
    person_release,
)
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def custody(org, make_staff):
    pom = make_staff(Role.POM, org["ngt"])
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = PersonFactory(unit=org["wing_a"])
    StaffAssignmentFactory(person=person, staff=worker, role=AssignmentRole.KEY_WORKER)
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    person_pin_set(actor=worker, person=person, pin="2468")
    return {"person": person, "pom": pom, "worker": worker, "practitioner": practitioner}


def _release(custody, org, **overrides):
    details = ReleaseDetails(
        release_date=overrides.get("release_date", dt.date(2026, 12, 1)),
        status=overrides.get("status", Status.LICENCE),
        supervising_unit=overrides.get("unit", org["office_n"]),
        address=overrides.get("address", "2 New Road, Northgate"),
        practitioner=overrides.get("practitioner", custody["practitioner"]),
    )
    return person_release(actor=overrides.get("actor", custody["pom"]), person=custody["person"], details=details)


def test_release_keeps_the_record_and_account_and_hands_over(custody, org):
    person = custody["person"]
    account = person_account_ensure(person)
    released = _release(custody, org)
    assert released.pk == person.pk
    assert released.status == Status.LICENCE
    assert released.unit == org["office_n"]
    assert released.release_date == dt.date(2026, 12, 1)
    assert person_account_ensure(released).pk == account.pk
    active = dict(StaffAssignment.objects.filter(person=person, ended_at__isnull=True).values_list("role", "staff"))
    assert active == {AssignmentRole.PRACTITIONER: custody["practitioner"].pk}
    assert StaffAssignment.objects.filter(person=person, ended_at__isnull=False).count() == 2
    event = AuditEvent.objects.get(action="person.released", person=person)
    assert event.actor == custody["pom"]
    assert event.data["before"]["status"] == Status.SENTENCED
    note = OutboxMessage.objects.get(user=custody["practitioner"], person=person)
    assert note.channel == "in_app"
    # The practitioner now sees them; the prison key worker no longer does.
    assert caseload_for(custody["practitioner"]).filter(pk=person.pk).exists()
    assert not caseload_for(custody["worker"]).filter(pk=person.pk).exists()


def test_release_twice_is_refused_and_changes_nothing(custody, org):
    _release(custody, org)
    with pytest.raises((ValidationError, PermissionDenied)):
        _release(custody, org)
    assert AuditEvent.objects.filter(action="person.released").count() == 1


def test_release_needs_a_probation_unit_and_an_address(custody, org):
    with pytest.raises(ValidationError):
        _release(custody, org, unit=org["wing_b"])
    with pytest.raises(ValidationError):
        _release(custody, org, address="   ")
    with pytest.raises(ValidationError):
        _release(custody, org, status=Status.COMMUNITY_ORDER)
    custody["person"].refresh_from_db()
    assert custody["person"].status == Status.SENTENCED


def test_key_workers_cannot_record_release(custody, org):
    with pytest.raises(PermissionDenied):
        _release(custody, org, actor=custody["worker"])


def test_release_page_records_release(custody, org, staff_client):
    client = staff_client(custody["pom"])
    person = custody["person"]
    response = client.post(f"/staff/people/{person.pk}/release/", {"release_date": "31 13 2026"})
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()
    response = client.post(
        f"/staff/people/{person.pk}/release/",
        {
            "release_date": "2026-12-01",
            "status": Status.HDC,
            "supervising_unit": org["office_n"].pk,
            "practitioner": custody["practitioner"].pk,
            "address_line_1": "2 New Road",
            "town": "Leeds",
            "postcode": "LS1 3ED",
            "activation_letter": "on",
            "reason": "CRD",
        },
    )
    assert response.status_code == 200
    assert "Release recorded" in response.content.decode()
    person.refresh_from_db()
    assert person.status == Status.HDC


def test_licence_versions_are_confirmed_by_the_person(org, make_staff):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    first = licence_version_issue(actor=practitioner, person=person, conditions=[ConditionChoice(code="no_offence")])
    second = licence_version_issue(
        actor=practitioner,
        person=person,
        conditions=[ConditionChoice(code="no_offence"), ConditionChoice(code="curfew", details="7pm to 7am")],
    )
    assert (first.number, second.number) == (1, 2)
    assert second.conditions.count() == 2
    account = person_account_ensure(person)
    licence_confirm(actor=account, version=second)
    second.refresh_from_db()
    assert second.confirmed_at is not None
    other = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    with pytest.raises(PermissionDenied):
        licence_confirm(actor=other, version=first)


def test_identifiers_are_validated(org):
    person = PersonFactory.build(unit=org["wing_a"], prison_number="1234ABC")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "A1234BC" in str(error.value)
    person = CommunityPersonFactory.build(unit=org["office_n"], crn="X12345")
    with pytest.raises(ValidationError):
        person.full_clean()


def test_a_person_needs_a_prison_number_or_crn(org):
    with pytest.raises(IntegrityError):
        PersonFactory(unit=org["wing_a"], prison_number=None, crn=None)


def test_next_key_date_is_the_soonest_still_to_come(org):
    today = dt.date(2026, 11, 27)
    person = PersonFactory.build(
        unit=org["wing_a"],
        hdc_eligibility_date=dt.date(2026, 11, 1),
        conditional_release_date=dt.date(2027, 2, 1),
        licence_expiry_date=dt.date(2028, 1, 1),
    )
    label, when = person.next_key_date(today)
    assert when == dt.date(2027, 2, 1)
    assert label == "Release date"


# --- Caseload -----------------------------------------------------------------------------------


def test_caseload_search_filter_and_sort(org, make_staff):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    soon = PersonFactory(unit=org["wing_a"], last_name="Zephyr", conditional_release_date=dt.date(2027, 1, 1))
    later = PersonFactory(unit=org["wing_b"], last_name="Abbott", conditional_release_date=dt.date(2028, 1, 1))
    remand = PersonFactory(unit=org["wing_b"], last_name="Moss", status=Status.REMAND, conditional_release_date=None)
    assert list(caseload_for(worker)) == [soon, later, remand]  # by next release date, none last
    assert list(caseload_for(worker, CaseloadFilter(sort="name"))) == [later, remand, soon]
    assert list(caseload_for(worker, CaseloadFilter(search="zeph"))) == [soon]
    assert list(caseload_for(worker, CaseloadFilter(search=later.prison_number.lower()))) == [later]
    assert list(caseload_for(worker, CaseloadFilter(status=Status.REMAND))) == [remand]
    assert list(caseload_for(worker, CaseloadFilter(unit_id=org["wing_a"].pk))) == [soon]


def test_caseload_page_runs_in_a_fixed_number_of_queries(org, make_staff, staff_client, django_assert_max_num_queries):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    client = staff_client(worker)
    for _ in range(3):
        StaffAssignmentFactory(person=PersonFactory(unit=org["wing_a"]), staff=worker)
    client.get("/staff/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/staff/")
    for _ in range(20):
        StaffAssignmentFactory(person=PersonFactory(unit=org["wing_a"]), staff=worker)
    with CaptureQueriesContext(connection) as many:
        client.get("/staff/")
    assert len(many) == len(few)


def test_caseload_page_shows_filters_and_handles_bad_input(org, make_staff, staff_client):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    PersonFactory(unit=org["wing_a"], last_name="Quill")
    client = staff_client(worker)
    page = client.get("/staff/", {"q": "quill", "status": "not-a-status", "sort": "name", "page": "abc"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Quill" in body
    assert "Select a valid choice" in body or "Quill" in body


def test_reading_a_record_is_audited(org, make_staff):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person = PersonFactory(unit=org["wing_a"])
    person_get(worker, person.pk)
    event = AuditEvent.objects.get(action="person.view")
    assert (event.actor, event.person, event.actor_role) == (worker, person, Role.KEY_WORKER)


def test_people_only_ever_see_themselves(org):
    me = PersonFactory(unit=org["wing_a"])
    other = PersonFactory(unit=org["wing_a"])
    account = person_account_ensure(me)
    assert list(caseload_for(account)) == [me]
    with pytest.raises(PermissionDenied):
        person_get(account, other.pk)
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_the_activation_letter_gives_the_public_address_and_its_expiry(org, make_staff, staff_client, settings):
    from django.utils import timezone
    from django.utils.formats import date_format

    settings.PUBLIC_BASE_URL = "https://onward.example"
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner)
    page = staff_client(practitioner).post(f"/staff/people/{person.pk}/activation-code/").content.decode()
    letter = page[page.index('data-testid="letter"') :]
    assert '<strong class="onward-letter__address" data-testid="public-address">onward.example</strong>' in letter
    expires = timezone.localdate() + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS)
    assert date_format(expires, "j F Y") in letter
    assert "/staff/" not in letter  # staff links are outside the letter, and not printed
