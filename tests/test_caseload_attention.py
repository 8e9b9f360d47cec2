"""What needs attention on the caseload: each app's reasons, their order, the filter, the policy's scope,
and a page that costs the same number of queries for 3 people as for 30.

The reasons come from apps above `people` through its registry (onward/people/attention.py), so this
test sits with the cross-cutting ones. All people and records here are synthetic.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onward.alerts.models import AlertKind, AlertState, Severity
from onward.alerts.tests.factories import AlertFactory
from onward.appointments.models import AppointmentState
from onward.appointments.tests.factories import AppointmentFactory
from onward.checkins.models import State
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, questionnaire_ensure
from onward.messaging.models import AuthorKind, MessageRead, MessageState
from onward.messaging.tests.factories import ConversationFactory, MessageFactory
from onward.organisations.models import Role
from onward.people.attention import ATTENTION, attention_load, attention_moment, attention_reasons
from onward.people.models import AssignmentRole, Status
from onward.people.selectors import CaseloadFilter, caseload_for
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db

# The order docs/attention.md and the API schema promise, most urgent first.
DOCUMENTED_ORDER = [
    "alert_urgent",
    "checkin_missed",
    "checkin_review",
    "alert_open",
    "appointment_today",
    "message_unread",
    "licence_unconfirmed",
    "hdc_not_considered",
    "release_soon",
]
# A fixed moment: Tuesday 10 March 2026, 11:00 in London.
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 11, 0))


def _reasons(user: Any, **filters: Any) -> dict[int, list[str]]:
    moment = attention_moment(user, NOW)
    people = list(caseload_for(user, CaseloadFilter(**filters), moment=moment))
    attention_load(people, moment)  # for orders the reasons do not choose
    return {person.pk: [reason.code for reason in attention_reasons(person)] for person in people}


@pytest.fixture
def practitioner(org: dict[str, Any], make_staff: Any) -> Any:
    return make_staff(Role.PRACTITIONER, org["office_n"])


def _on_licence(org: dict[str, Any], **kwargs: Any) -> Any:
    return CommunityPersonFactory(unit=org["office_n"], **kwargs)


def test_the_registry_holds_every_reason_in_the_documented_order() -> None:
    assert [reason.code for reason in ATTENTION.all()] == DOCUMENTED_ORDER
    assert all(str(reason.label) for reason in ATTENTION.all())


def test_two_reasons_with_one_rank_are_refused() -> None:
    with pytest.raises(ValueError, match="ranks must differ"):
        ATTENTION.reason("synthetic_clash", rank=ATTENTION.get("checkin_missed").rank, label="Clash")(
            lambda moment: None
        )
    assert "synthetic_clash" not in [reason.code for reason in ATTENTION.all()]


def test_alerts_give_a_reason_until_they_are_closed(org: dict[str, Any], practitioner: Any) -> None:
    urgent = AlertFactory(
        person=_on_licence(org), severity=Severity.HIGH, state=AlertState.ACKNOWLEDGED, acknowledged_at=NOW
    )
    medium = AlertFactory(person=_on_licence(org), kind=AlertKind.REARRANGE_REQUEST, severity=Severity.MEDIUM)
    closed = AlertFactory(
        person=_on_licence(org), state=AlertState.CLOSED, closed_at=NOW, decision="no_action", reason="Synthetic."
    )
    found = _reasons(practitioner)
    assert found[urgent.person_id] == ["alert_urgent"]
    assert found[medium.person_id] == ["alert_open"]
    assert found[closed.person_id] == []


def test_check_ins_missed_or_waiting_for_review_give_reasons(org: dict[str, Any], practitioner: Any) -> None:
    questionnaire_ensure()
    missed = CheckInFactory(enrolment=EnrolmentFactory(person=_on_licence(org)), state=State.EXPIRED)
    sent = CheckInFactory(enrolment=EnrolmentFactory(person=_on_licence(org)), state=State.SUBMITTED)
    closed = CheckInFactory(
        enrolment=EnrolmentFactory(person=_on_licence(org)), state=State.CLOSED, state_reason="Synthetic: phoned."
    )
    waiting_for_them = CheckInFactory(enrolment=EnrolmentFactory(person=_on_licence(org)), state=State.CREATED)
    found = _reasons(practitioner)
    assert found[missed.person_id] == ["checkin_missed"]
    assert found[sent.person_id] == ["checkin_review"]
    assert found[closed.person_id] == []
    assert found[waiting_for_them.person_id] == []


def test_only_a_booked_appointment_today_gives_a_reason(org: dict[str, Any], practitioner: Any) -> None:
    morning = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))  # earlier today: its outcome is still to record
    today = AppointmentFactory(person=_on_licence(org), starts_at=morning)
    tomorrow = AppointmentFactory(person=_on_licence(org), starts_at=timezone.make_aware(dt.datetime(2026, 3, 11, 0)))
    yesterday_late = AppointmentFactory(
        person=_on_licence(org), starts_at=timezone.make_aware(dt.datetime(2026, 3, 9, 23, 30))
    )
    attended = AppointmentFactory(
        person=_on_licence(org), starts_at=morning, state=AppointmentState.ATTENDED, outcome_at=NOW
    )
    found = _reasons(practitioner)
    assert found[today.person_id] == ["appointment_today"]
    assert found[tomorrow.person_id] == []
    assert found[yesterday_late.person_id] == []
    assert found[attended.person_id] == []


def test_a_message_from_them_gives_a_reason_until_someone_on_staff_reads_it(
    org: dict[str, Any], practitioner: Any, make_staff: Any
) -> None:
    def from_person(person: Any, **kwargs: Any) -> Any:
        account = _account(person)
        conversation = ConversationFactory(person=person)
        return MessageFactory(conversation=conversation, author_kind=AuthorKind.PERSON, author_user=account, **kwargs)

    unread = from_person(_on_licence(org))
    read_by_colleague = from_person(_on_licence(org))
    MessageRead.objects.create(message=read_by_colleague, user=make_staff(Role.SENIOR, org["pdu_n"]))
    held = from_person(_on_licence(org), state=MessageState.HELD)
    staff_wrote = MessageFactory(conversation=ConversationFactory(person=_on_licence(org)))
    found = _reasons(practitioner)
    assert found[unread.conversation.person_id] == ["message_unread"]
    assert found[read_by_colleague.conversation.person_id] == []
    assert found[held.conversation.person_id] == []  # not delivered to staff yet
    assert found[staff_wrote.conversation.person_id] == []


def test_only_the_newest_licence_version_unconfirmed_gives_a_reason(org: dict[str, Any], practitioner: Any) -> None:
    waiting = LicenceVersionFactory(person=_on_licence(org), number=1)
    replaced = LicenceVersionFactory(person=_on_licence(org), number=1)
    LicenceVersionFactory(person=replaced.person, number=2, confirmed_at=NOW)
    confirmed = LicenceVersionFactory(person=_on_licence(org), number=1, confirmed_at=NOW)
    found = _reasons(practitioner)
    assert found[waiting.person_id] == ["licence_unconfirmed"]
    assert found[replaced.person_id] == []
    assert found[confirmed.person_id] == []


def test_release_within_twelve_weeks_counts_in_custody_only(org: dict[str, Any], make_staff: Any) -> None:
    pom = make_staff(Role.POM, org["ngt"])
    today = NOW.date()
    soon = PersonFactory(unit=org["wing_a"], conditional_release_date=today + dt.timedelta(weeks=12))
    hdc_soon = PersonFactory(
        unit=org["wing_a"],
        conditional_release_date=today + dt.timedelta(weeks=30),
        hdc_actual_date=today + dt.timedelta(days=3),
    )
    later = PersonFactory(unit=org["wing_a"], conditional_release_date=today + dt.timedelta(weeks=12, days=1))
    passed = PersonFactory(unit=org["wing_a"], conditional_release_date=today - dt.timedelta(days=1))
    found = _reasons(pom)
    assert found[soon.pk] == ["release_soon"]
    assert found[hdc_soon.pk] == ["release_soon"]
    assert found[later.pk] == []
    assert found[passed.pk] == []
    on_licence = CommunityPersonFactory(unit=org["office_n"], conditional_release_date=today + dt.timedelta(days=5))
    assert _reasons(make_staff(Role.PRACTITIONER, org["office_n"]))[on_licence.pk] == []


def test_most_urgent_first_then_the_next_reason_then_release(org: dict[str, Any], practitioner: Any) -> None:
    questionnaire_ensure()
    calm = _on_licence(org, last_name="Aardvark")
    licence_only = LicenceVersionFactory(person=_on_licence(org, last_name="Licence"), number=1).person
    review_only = CheckInFactory(
        enrolment=EnrolmentFactory(person=_on_licence(org, last_name="Review")), state=State.SUBMITTED
    ).person
    review_and_licence = CheckInFactory(
        enrolment=EnrolmentFactory(person=_on_licence(org, last_name="Both")), state=State.SUBMITTED
    ).person
    LicenceVersionFactory(person=review_and_licence, number=1)
    urgent = AlertFactory(person=_on_licence(org, last_name="Urgent")).person

    ranked = list(_reasons(practitioner))
    assert ranked == [urgent.pk, review_and_licence.pk, review_only.pk, licence_only.pk, calm.pk]
    assert list(_reasons(practitioner, needs_attention=True)) == ranked[:-1]  # calm has nothing today
    assert calm.pk in _reasons(practitioner, sort="name")  # another order keeps everyone
    assert next(iter(_reasons(practitioner, sort="name", needs_attention=True))) == review_and_licence.pk


def test_the_caseload_stays_the_people_policys_scope(org: dict[str, Any], practitioner: Any) -> None:
    elsewhere = AlertFactory(person=CommunityPersonFactory(unit=org["office_s"])).person
    assigned = AlertFactory(person=CommunityPersonFactory(unit=org["office_s"])).person
    StaffAssignmentFactory(person=assigned, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    found = _reasons(practitioner, needs_attention=True)
    assert found == {assigned.pk: ["alert_urgent"]}
    assert elsewhere.pk not in found


def test_the_page_shows_reasons_and_filters_to_who_needs_attention(
    org: dict[str, Any], practitioner: Any, staff_client: Any
) -> None:
    AlertFactory(person=_on_licence(org, last_name="Alerted"))
    _on_licence(org, last_name="Quietcase")
    client = staff_client(practitioner)
    page = client.get("/staff/").content.decode()
    assert "Urgent alert" in page
    assert "Quietcase" in page
    assert page.index("Alerted") < page.index("Quietcase")  # who needs attention first, by default
    filtered = client.get("/staff/", {"needs_attention": "on"}).content.decode()
    assert "Alerted" in filtered
    assert "Quietcase" not in filtered


@pytest.mark.parametrize(
    "path",
    [
        "/staff/?needs_attention=on",
        "/staff/?sort=name",  # the reasons are loaded for the page alone
        "/api/v1/caseload?needs_attention=true",
        "/api/v1/caseload?sort=release",
    ],
)
def test_a_page_of_the_caseload_costs_the_same_queries_for_3_people_as_for_30(
    org: dict[str, Any], practitioner: Any, staff_client: Any, path: str
) -> None:
    questionnaire_ensure()
    client = staff_client(practitioner)

    def add_people(count: int) -> None:
        for n in range(count):
            person = _on_licence(org)
            AlertFactory(person=person, severity=Severity.HIGH if n % 2 else Severity.LOW)
            CheckInFactory(enrolment=EnrolmentFactory(person=person), state=State.SUBMITTED)
            AppointmentFactory(person=person, starts_at=timezone.now())
            LicenceVersionFactory(person=person, number=1)
            StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured)

    add_people(3)
    client.get(path)  # the first request warms caches (sessions, settings) that later ones share
    few = queries()
    add_people(27)
    many = queries()
    assert many == few
    response = client.get(path)
    shown = response.json()["items"] if path.startswith("/api/") else None
    if shown is not None:
        assert len(shown) == 25
        assert all(item["attention"] for item in shown)


def test_an_ended_supervision_shows_no_licence_reason(org: dict[str, Any], make_staff: Any) -> None:
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    ended = LicenceVersionFactory(person=_on_licence(org, status=Status.ENDED), number=1).person
    assert _reasons(senior)[ended.pk] == []


def _account(person: Any) -> Any:
    from onward.accounts.services import person_account_ensure

    return person_account_ensure(person)


def test_eligible_for_hdc_and_not_considered_until_a_decision(org: dict[str, Any], make_staff: Any) -> None:
    from onward.opportunities.models import Decision, RuleSet
    from onward.opportunities.tests.factories import SentenceFactory

    pom = make_staff(Role.POM, org["ngt"])
    soon = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=NOW.date() + dt.timedelta(days=30))
    later = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=NOW.date() + dt.timedelta(days=200))
    typed_in = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=NOW.date() + dt.timedelta(days=30))
    SentenceFactory(person=soon)
    SentenceFactory(person=later)
    reasons = _reasons(pom)
    assert "hdc_not_considered" in reasons[soon.pk]
    assert "hdc_not_considered" not in reasons[later.pk]
    assert "hdc_not_considered" not in reasons[typed_in.pk]  # no sentence recorded: the date was not worked out
    ruleset = RuleSet.objects.get(scheme="hdc", version=2)
    Decision.objects.create(person=soon, scheme="hdc", outcome="snoozed", snoozed_until=NOW.date(), ruleset=ruleset)
    assert "hdc_not_considered" in _reasons(pom)[soon.pk]  # the snooze has run out
    Decision.objects.create(person=soon, scheme="hdc", outcome="refused", reason="Risk", ruleset=ruleset)
    assert "hdc_not_considered" not in _reasons(pom)[soon.pk]
