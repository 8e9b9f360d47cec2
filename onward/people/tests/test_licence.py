"""Licence conditions in plain words: issued from the catalogue, explained, confirmed, and chased."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage
from onward.organisations.models import Role
from onward.people.licence_catalogue import CATALOGUE
from onward.people.models import AssignmentRole, ConditionKind, ConditionType, LicenceVersion, Status
from onward.people.selectors import licence_unconfirmed_for
from onward.people.services import ConditionChoice, licence_confirm, licence_version_issue
from onward.people.tests.factories import CommunityPersonFactory, LicenceVersionFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, make_staff):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Ceri", last_name="Jones")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    person_account_ensure(person)
    return {"practitioner": practitioner, "person": person}


def test_the_catalogue_is_in_the_database_with_english_and_welsh():
    assert ConditionType.objects.count() == len(CATALOGUE)
    for kind in ConditionType.objects.all():
        assert all([kind.wording, kind.explanation, kind.wording_cy, kind.explanation_cy]), kind.code
        assert ("{details}" in kind.wording) == bool(kind.details_label) == ("{details}" in kind.wording_cy)
    assert ConditionType.objects.filter(kind=ConditionKind.STANDARD).count() == 8


def test_issuing_copies_the_words_with_the_details_and_tells_the_person(case):
    version = licence_version_issue(
        actor=case["practitioner"],
        person=case["person"],
        conditions=[
            ConditionChoice(code="no_offence"),
            ConditionChoice(code="exclusion_zone", details="Leeds city centre"),
            ConditionChoice(text="Do not keep a dog.", explanation="You cannot have a dog at home."),
        ],
    )

    zone = version.conditions.get(condition_type__code="exclusion_zone")
    assert zone.text == "Do not go into this area: Leeds city centre."
    assert zone.text_cy == "Peidio â mynd i'r ardal hon: Leeds city centre."
    assert zone.kind == ConditionKind.ADDITIONAL
    assert "not even to pass through" in zone.explanation_in("en")
    assert "dim hyd yn oed" in zone.explanation_in("cy")
    own = version.conditions.get(condition_type__isnull=True)
    assert (own.text, own.explanation_in("cy")) == ("Do not keep a dog.", "You cannot have a dog at home.")
    assert [c.position for c in version.conditions.all()] == [0, 1, 2]
    event = AuditEvent.objects.get(action="licence.issued")
    assert event.data["conditions"] == ["no_offence", "exclusion_zone", "own words"]
    told = OutboxMessage.objects.get(idempotency_key=f"licence-issued:{version.pk}")
    assert told.user == case["person"].account
    assert "Please read them" in told.body


def test_editing_the_catalogue_later_does_not_change_an_issued_licence(case):
    version = licence_version_issue(
        actor=case["practitioner"], person=case["person"], conditions=[ConditionChoice(code="drug_test")]
    )
    ConditionType.objects.filter(code="drug_test").update(wording="Changed.", explanation="Changed.")

    condition = version.conditions.get()
    assert condition.text == "Give a sample for a drug test when you are asked."
    assert condition.explanation.startswith("When your probation practitioner asks")


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (ConditionChoice(code="curfew"), "Add the details"),
        (ConditionChoice(code="no_such_condition"), "not in the list"),
        (ConditionChoice(text="Do not keep a dog."), "what it means"),
        (ConditionChoice(code="curfew", details="x" * 301), "300 characters"),
    ],
)
def test_a_wrong_condition_is_refused_with_what_to_fix(case, choice, message):
    with pytest.raises(ValidationError, match=message):
        licence_version_issue(actor=case["practitioner"], person=case["person"], conditions=[choice])
    assert not LicenceVersion.objects.filter(person=case["person"]).exists()


def test_only_staff_who_supervise_the_person_may_issue(case, org, make_staff):
    other = make_staff(Role.PRACTITIONER, org["office_s"])
    with pytest.raises(PermissionDenied):
        licence_version_issue(actor=other, person=case["person"], conditions=[ConditionChoice(code="no_offence")])


def test_the_person_reads_each_rule_with_its_meaning_and_confirms(case, person_client):
    version = LicenceVersionFactory(
        person=case["person"], conditions=[ConditionChoice(code="curfew", details="7pm to 7am")]
    )
    client = person_client(case["person"])

    page = client.get("/me/licence/").content.decode()
    assert "Stay at your curfew address during your curfew hours: 7pm to 7am." in page
    assert "What this means" in page
    assert "You must be inside your home during these hours." in page
    assert "I have read my licence rules" in page

    response = client.post(f"/me/licence/{version.pk}/confirm/")
    assert response.status_code == 302
    assert response["Location"] == "/me/licence/"
    version.refresh_from_db()
    assert version.confirmed_at is not None
    assert "I have read my licence rules" not in client.get("/me/licence/").content.decode()
    assert AuditEvent.objects.filter(action="person.view_own_licence", person=case["person"]).exists()


def test_the_person_reads_their_rules_in_welsh_where_we_have_it(case, person_client, settings):
    LicenceVersionFactory(
        person=case["person"],
        conditions=[
            ConditionChoice(code="no_offence"),
            ConditionChoice(text="Do not keep a dog.", explanation="You cannot have a dog at home."),
        ],
    )
    client = person_client(case["person"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    page = client.get("/me/licence/").content.decode()

    assert "Peidio â chyflawni unrhyw drosedd." in page
    assert "Do not keep a dog." in page  # no Welsh written for it: English, not nothing


def test_a_person_cannot_confirm_someone_elses_licence(case, org, person_client):
    other = CommunityPersonFactory(unit=org["office_n"])
    version = LicenceVersionFactory(person=other)
    response = person_client(case["person"]).post(f"/me/licence/{version.pk}/confirm/")
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.confirmed_at is None


def test_staff_issue_a_new_version_starting_from_the_current_one(case, staff_client):
    LicenceVersionFactory(
        person=case["person"], number=1, conditions=[ConditionChoice(code="no_contact", details="Sam Smith")]
    )
    client = staff_client(case["practitioner"])
    url = f"/staff/people/{case['person'].pk}/licence/new/"

    form = client.get(url).content.decode()
    assert 'value="Sam Smith"' in form
    assert 'value="no_contact" checked' in form

    missing = client.post(url, {"conditions": ["no_contact", "curfew"], "details_no_contact": "Sam Smith"})
    assert missing.status_code == 400
    assert "Add the details for this condition." in missing.content.decode()

    done = client.post(
        url,
        {
            "conditions": ["no_contact", "curfew"],
            "details_no_contact": "Sam Smith",
            "details_curfew": "9pm to 6am",
            "own_text_1": "Do not keep a dog.",
            "own_meaning_1": "You cannot have a dog at home.",
        },
    )
    assert done.status_code == 302
    newest = case["person"].licence_versions.order_by("-number").first()
    assert newest.number == 2
    assert [c.text for c in newest.conditions.all()] == [
        "Do not contact Sam Smith, yourself or through anyone else.",
        "Stay at your curfew address during your curfew hours: 9pm to 6am.",
        "Do not keep a dog.",
    ]


def test_staff_see_who_has_not_confirmed_their_newest_licence(case, org, make_staff, staff_client):
    waiting = case["person"]
    LicenceVersionFactory(person=waiting, number=1, confirmed_at=timezone.now())
    LicenceVersionFactory(person=waiting, number=2)
    confirmed = CommunityPersonFactory(unit=org["office_n"], first_name="Bryn", last_name="Owen")
    LicenceVersionFactory(person=confirmed, number=1)
    LicenceVersionFactory(person=confirmed, number=2, confirmed_at=timezone.now())
    ended = CommunityPersonFactory(unit=org["office_n"], status=Status.ENDED, first_name="Dai", last_name="Hughes")
    LicenceVersionFactory(person=ended, number=1)
    elsewhere = CommunityPersonFactory(unit=org["office_s"], first_name="Eve", last_name="Price")
    LicenceVersionFactory(person=elsewhere, number=1, issued_at=timezone.now() - dt.timedelta(days=9))

    listed = list(licence_unconfirmed_for(case["practitioner"]))
    assert [(v.person, v.number) for v in listed] == [(waiting, 2)]

    page = staff_client(case["practitioner"]).get("/staff/licence/not-confirmed/").content.decode()
    assert "Ceri Jones" in page
    for name in ("Bryn Owen", "Dai Hughes", "Eve Price"):
        assert name not in page

    licence_confirm(actor=waiting.account, version=listed[0])
    assert not licence_unconfirmed_for(case["practitioner"]).exists()


def test_the_list_of_unconfirmed_licences_costs_the_same_queries_for_any_caseload(
    case, org, django_assert_max_num_queries
):
    for i in range(12):
        LicenceVersionFactory(person=CommunityPersonFactory(unit=org["office_n"], first_name=f"P{i}"))
    with django_assert_max_num_queries(4):
        rows = [
            (v.person.full_name, v.person.unit.name, v.number) for v in licence_unconfirmed_for(case["practitioner"])
        ]
    assert len(rows) == 12
