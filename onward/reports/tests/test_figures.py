"""Every figure against numbers counted by hand from a small world made with the factories.

The world (all in November 2026 unless it says October), and what each figure must count:
- Ann (Northgate office) and Ben (Northgate east office) are in the Northgate PDU; Cal is in custody on
  A wing at HMP Northgate; Dee is in the Southtown office (the other region).
- Early release (`_early_release`): Cal and Gus on A wing, Eve on B wing (HMP Northgate); Fay and Hal at
  HMP Southtown (the other region). Decisions, HDC cases and ROTL go through the opportunities services;
  the times the services stamp are then moved to the day each story needs.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onward.accounts.models import SignInAttempt, SignInMethod
from onward.accounts.services import person_account_ensure
from onward.accounts.tests.factories import StaffFactory
from onward.appointments.models import AppointmentState
from onward.appointments.tests.factories import AppointmentFactory
from onward.checkins.models import FaceDecision, ReviewDecision, State
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, ReviewFactory, VerificationFactory
from onward.core.audit_actions import AuditAction
from onward.learning.models import Certificate, LessonProgress
from onward.learning.tests.factories import CourseFactory, LessonFactory
from onward.messaging.models import AuthorKind
from onward.messaging.tests.factories import ConversationFactory, MessageFactory
from onward.opportunities import services as opportunities
from onward.opportunities.models import Decision, HdcCase, HdcStage, RotlGrant
from onward.opportunities.tests.factories import SentenceFactory
from onward.organisations.models import Role
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory
from onward.reports.models import MonthlyFigure, RollupRun
from onward.reports.selectors import Report, percentile, report_build
from onward.reports.services import REPORTS_HISTORY_MONTHS, reports_refresh
from onward.resettlement.models import (
    Department,
    PlanEvent,
    PlanEventKind,
    PrisonRequest,
    RequestKind,
    RequestState,
)

LONDON = ZoneInfo("Europe/London")
NOV, OCT = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)


def at(day: int, hour: int = 10, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    ann = CommunityPersonFactory(unit=org["office_n"])
    ben = CommunityPersonFactory(unit=org["office_n2"])
    cal = PersonFactory(unit=org["wing_a"])
    dee = CommunityPersonFactory(unit=org["office_s"])
    _sign_ins(ann, ben, dee)
    _messages(ann)
    _learning(ann, ben)
    _checkins(ann, ben)
    _appointments(ann, ben)
    _requests(cal, org["ngt"])
    _releases(ann, ben)
    _early_release(cal, org, make_staff)
    reports_refresh(now=NOW)
    return {
        "org": org,
        "senior": make_staff("senior", org["north"]),
        "south_senior": make_staff("senior", org["south"]),
    }


def _sign_ins(ann: Any, ben: Any, dee: Any) -> None:
    def sign_in(user: Any, when: dt.datetime, succeeded: bool = True) -> None:
        SignInAttempt.objects.create(at=when, method=SignInMethod.PIN, identifier="x", user=user, succeeded=succeeded)

    a, b, d = (person_account_ensure(p) for p in (ann, ben, dee))
    sign_in(a, at(2))
    sign_in(a, at(3))
    sign_in(a, at(3, 11), succeeded=False)  # a failed try is not a sign-in
    sign_in(a, at(20, month=10))
    sign_in(b, at(4))
    sign_in(d, at(4))  # the other region
    sign_in(StaffFactory(), at(4))  # staff are not counted


def _messages(ann: Any) -> None:
    conversation = ConversationFactory(person=ann)
    user = person_account_ensure(ann)
    for day in (5, 6):
        MessageFactory(conversation=conversation, author_kind=AuthorKind.PERSON, author_user=user, created_at=at(day))
    MessageFactory(conversation=conversation, created_at=at(7))  # from staff: not counted


def _learning(ann: Any, ben: Any) -> None:
    course = CourseFactory()
    first, second = LessonFactory(module__course=course), LessonFactory(module__course=course)
    LessonProgress.objects.create(person=ann, lesson=first, completed_at=at(8))
    LessonProgress.objects.create(person=ann, lesson=second, completed_at=at(9))
    LessonProgress.objects.create(person=ben, lesson=first, completed_at=at(9))
    LessonProgress.objects.create(person=ben, lesson=second)  # started, not finished
    Certificate.objects.create(person=ann, course=course, issued_at=at(9), code="CERT-ANN")


def _checkins(ann: Any, ben: Any) -> None:
    ann_enrolment, ben_enrolment = EnrolmentFactory(person=ann), EnrolmentFactory(person=ben)

    def checkin(enrolment: Any, day: int, state: str, after_hours: float | None = None, month: int = 11) -> Any:
        opens = at(day, 8, month)
        return CheckInFactory(
            enrolment=enrolment,
            due_date=opens.date(),
            opens_at=opens,
            closes_at=opens + dt.timedelta(hours=72),
            state=state,
            submitted_at=None if after_hours is None else opens + dt.timedelta(hours=after_hours),
            state_reason="A reason" if state in (State.CANCELLED, State.CLOSED) else "",
        )

    def verified(checkin: Any, decision: str, engine: str = "dlib", version: str = "1.0") -> None:
        VerificationFactory(
            media__checkin=checkin,
            checkin=checkin,
            decision=decision,
            engine=engine,
            model_version=version,
            created_at=checkin.opens_at,
        )

    on_time = checkin(ann_enrolment, 2, State.SUBMITTED, after_hours=2)
    verified(on_time, FaceDecision.MATCH)  # not reviewed yet: not compared
    late = checkin(ann_enrolment, 9, State.REVIEWED, after_hours=30)
    ReviewFactory(checkin=late, decision=ReviewDecision.NO_MATCH)
    verified(late, FaceDecision.MATCH)  # the engine said match, the reviewer no match: a false accept
    verified(late, FaceDecision.REVIEW, engine="onnx", version="2")  # left to the reviewer: not compared
    checkin(ann_enrolment, 12, State.EXPIRED)
    checkin(ann_enrolment, 13, State.CANCELLED)  # cancelled: neither done nor missed
    checkin(ann_enrolment, 20, State.CLOSED, month=10)
    rejected = checkin(ben_enrolment, 3, State.REVIEWED, after_hours=1)
    ReviewFactory(checkin=rejected, decision=ReviewDecision.MATCH)
    verified(rejected, FaceDecision.NO_MATCH)  # the engine said no match, the reviewer match: a false reject
    agreed = checkin(ben_enrolment, 4, State.REVIEWED, after_hours=23)
    ReviewFactory(checkin=agreed, decision=ReviewDecision.MATCH_WITH_CONCERN)
    verified(agreed, FaceDecision.MATCH)


def _appointments(ann: Any, ben: Any) -> None:
    def appointment(person: Any, day: int, state: str) -> None:
        AppointmentFactory(person=person, starts_at=at(day), ends_at=at(day, 11), state=state, outcome_reason="Why")

    appointment(ann, 10, AppointmentState.ATTENDED)
    appointment(ann, 11, AppointmentState.FAILED_TO_ATTEND)
    appointment(ben, 10, AppointmentState.ACCEPTABLE_ABSENCE)
    appointment(ben, 24, AppointmentState.BOOKED)
    appointment(ben, 12, AppointmentState.CANCELLED)  # not counted


def _requests(cal: Any, prison: Any) -> None:
    department = Department.objects.create(prison=prison, name="Wing office")

    def request(closed: dt.datetime | None, days: int, state: str = RequestState.CLOSED) -> None:
        created = (closed or at(20)) - dt.timedelta(days=days, hours=1)
        PrisonRequest.objects.create(
            person=cal,
            prison=prison,
            kind=RequestKind.OTHER,
            department=department,
            text="A request",
            state=state if closed else RequestState.SUBMITTED,
            created_at=created,
            due_at=created + dt.timedelta(days=5),
            closed_at=closed,
        )

    for days in (1, 2, 3, 10):
        request(at(20), days)
    request(None, 4)  # still open: not counted
    request(at(21), 30, state=RequestState.WITHDRAWN)  # withdrawn by the person: not counted
    request(at(15, month=10), 5)


def _releases(ann: Any, ben: Any) -> None:
    PlanEvent.objects.create(
        person=ann,
        kind=PlanEventKind.HANDED_OVER,
        at=at(10),
        data={"needs_passed_to_probation": ["no_address"], "checklist_missing": ["address", "id"]},
    )
    PlanEvent.objects.create(
        person=ben,
        kind=PlanEventKind.HANDED_OVER,
        at=at(11),
        data={"needs_passed_to_probation": ["no_address"], "checklist_missing": ["id"]},
    )


def _early_release(cal: Any, org: dict[str, Any], make_staff: Any) -> None:
    poms = {org["ngt"].pk: make_staff(Role.POM, org["ngt"]), org["stn"].pk: make_staff(Role.POM, org["stn"])}
    for staff in poms.values():
        staff.is_verified = lambda: True

    def pom(person: Any) -> Any:  # the prison's staff decide about its people
        return poms[person.unit.parent_id]

    eve = PersonFactory(unit=org["wing_b"], hdc_eligibility_date=dt.date(2026, 11, 1))
    fay = PersonFactory(unit=org["stn_wing"], hdc_eligibility_date=dt.date(2026, 11, 15))
    Person.objects.filter(pk=cal.pk).update(hdc_eligibility_date=dt.date(2026, 10, 31))  # October's last day
    for person in (cal, eve, fay):
        SentenceFactory(person=person)
    today = dt.date(2026, 12, 1)

    def put_forward(person: Any, when: dt.datetime) -> HdcCase:
        decision = opportunities.decision_record(
            actor=pom(person), person=person, scheme="hdc", outcome="put_forward", today=today
        )
        Decision.objects.filter(pk=decision.pk).update(decided_at=when)
        return HdcCase.objects.get(decision=decision)

    def licence(case: HdcCase, when: dt.datetime) -> None:
        case = opportunities.hdc_case_move(actor=pom(case.person), case=case, target=HdcStage.ADDRESS, notes="Low risk")
        case = opportunities.hdc_case_move(
            actor=pom(case.person),
            case=case,
            target=HdcStage.DECISION,
            notes="Checked",
            address="1 Park Row",
            postcode="LS1 4AP",
        )
        hours = opportunities.CurfewHours(start=dt.time(19), end=dt.time(7))
        opportunities.hdc_case_move(
            actor=pom(case.person), case=case, target=HdcStage.LICENCE, notes="Granted", hours=hours
        )
        HdcCase.objects.filter(pk=case.pk).update(closed_at=when)

    licence(put_forward(eve, at(31, 23, month=10)), at(20))  # put forward in October, licence in November
    cal_case = put_forward(cal, at(1, 0))  # the first hour of November
    opportunities.hdc_case_move(actor=pom(cal), case=cal_case, target=HdcStage.REFUSED, notes="No address")
    opportunities.decision_record(  # refused: not put forward
        actor=pom(fay), person=fay, scheme="hdc", outcome="refused", reason="Not now", today=today
    )
    licence(put_forward(fay, at(3)), at(10))  # the other region

    def grant(person: Any, kind: str, when: dt.datetime) -> RotlGrant:
        made = opportunities.rotl_grant(
            actor=pom(person),
            person=person,
            rotl_type=kind,
            risk_assessment="Low",
            conditions="Back on time",
            valid_from=dt.date(2026, 10, 31),
            valid_until=dt.date(2026, 11, 30),
            today=when.date(),
        )
        RotlGrant.objects.filter(pk=made.pk).update(granted_at=when)
        return made

    def absence(made: RotlGrant, day: int, back: int | None, month: int = 11) -> None:
        out = at(day, 9, month)
        away = opportunities.rotl_out(
            actor=pom(made.person), grant=made, out_at=out, due_back_at=out + dt.timedelta(hours=8)
        )
        if back is not None:
            opportunities.rotl_returned(
                actor=pom(made.person), absence=away, returned_at=out + dt.timedelta(hours=back)
            )

    rotl_sentence = {"sentenced_on": dt.date(2025, 1, 6), "security_category": "D"}
    gus = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=None)
    hal = PersonFactory(unit=org["stn_wing"], hdc_eligibility_date=None)
    SentenceFactory(person=gus, **rotl_sentence)
    SentenceFactory(person=hal, **rotl_sentence)
    day_release = grant(gus, "rdr", at(31, 23, month=10))  # October's last hour
    grant(gus, "spl", at(2))
    absence(day_release, 31, back=7, month=10)  # out and back (on time) on 31 October
    absence(day_release, 3, back=7)  # on time
    absence(day_release, 4, back=9)  # an hour late
    absence(day_release, 25, back=None)  # still out after the time due: the late alert is raised
    opportunities.rotl_overdue_alert(now=at(25, 18))
    absence(grant(hal, "rdr", at(5)), 6, back=10)  # late, in the other region


def table(report: Report, code: str) -> dict[str, list[float | None]]:
    found = next(t for t in report.tables if t.code == code)
    return dict(found.rows)


def build(
    world: dict[str, Any], unit: str, first: dt.date = OCT, last: dt.date = NOV, senior: str = "senior"
) -> Report:
    return report_build(
        world[senior], unit=world["org"][unit], first_month=first, last_month=last, purpose=AuditAction.REPORT_VIEWED
    )


@pytest.mark.django_db
def test_the_pdu_counts_each_figure_by_month(world: dict[str, Any]) -> None:
    report = build(world, "pdu_n")
    assert table(report, "sign_ins") == {"Oct 2026": [1, 1], "Nov 2026": [3, 2]}
    assert table(report, "messages") == {"Oct 2026": [0, 0], "Nov 2026": [2, 1]}
    assert table(report, "lessons") == {"Oct 2026": [0, 0], "Nov 2026": [3, 2]}
    assert table(report, "courses") == {"Oct 2026": [0], "Nov 2026": [1]}
    assert table(report, "checkins") == {"Oct 2026": [0, 0, 1], "Nov 2026": [3, 1, 1]}
    assert table(report, "attendance") == {"Oct 2026": [0, 0, 0, 0], "Nov 2026": [1, 1, 1, 1]}
    assert table(report, "accommodation") == {"Oct 2026": [0, 0], "Nov 2026": [1, 1]}
    # agreed, false accepts, false rejects, not compared, over both months
    assert table(report, "verification") == {"dlib 1.0": [1, 1, 1, 1], "onnx 2": [0, 0, 0, 1]}
    # Cal is in custody, not in the PDU
    assert table(report, "request_turnaround") == {"Oct 2026": [0, None, None], "Nov 2026": [0, None, None]}


@pytest.mark.django_db
def test_request_turnaround_median_and_90th_percentile(world: dict[str, Any]) -> None:
    report = build(world, "ngt")
    # November: 1, 2, 3 and 10 days. Median (nearest rank 2 of 4) is 2; 90th percentile (rank 4 of 4) is 10.
    assert table(report, "request_turnaround") == {"Oct 2026": [1, 5, 5], "Nov 2026": [4, 2, 10]}


@pytest.mark.django_db
def test_a_unit_rolls_up_everything_below_it(world: dict[str, Any]) -> None:
    assert table(build(world, "office_n"), "sign_ins")["Nov 2026"] == [2, 1]  # Ann only
    assert table(build(world, "office_n2"), "sign_ins")["Nov 2026"] == [1, 1]  # Ben only
    assert table(build(world, "pdu_n"), "sign_ins")["Nov 2026"] == [3, 2]
    north = build(world, "north")
    assert table(north, "sign_ins")["Nov 2026"] == [3, 2]  # Dee is in the south
    assert table(north, "request_turnaround")["Nov 2026"] == [4, 2, 10]  # Cal's prison is in the north
    assert table(build(world, "office_n"), "checkins")["Nov 2026"] == [1, 1, 1]


@pytest.mark.django_db
def test_the_month_range_limits_the_figures(world: dict[str, Any]) -> None:
    assert table(build(world, "pdu_n", NOV, NOV), "sign_ins") == {"Nov 2026": [3, 2]}
    assert table(build(world, "pdu_n", NOV, NOV), "verification") == {"dlib 1.0": [1, 1, 1, 1], "onnx 2": [0, 0, 0, 1]}
    assert table(build(world, "pdu_n", OCT, OCT), "verification") == {}


@pytest.mark.django_db
def test_a_refresh_recounts_recent_months_and_keeps_older_ones(world: dict[str, Any]) -> None:
    run = RollupRun.objects.get()
    assert run.from_month == dt.date(2024, 12, 1)  # the first run counts the whole history (24 months)
    assert REPORTS_HISTORY_MONTHS == 24
    october = MonthlyFigure.objects.filter(month=OCT).count()
    reports_refresh(now=NOW + dt.timedelta(days=70))  # February 2027: recounts December to February
    assert RollupRun.objects.get().from_month == dt.date(2026, 12, 1)
    assert MonthlyFigure.objects.filter(month=OCT).count() == october


@pytest.mark.django_db
def test_reading_a_report_is_audited(world: dict[str, Any]) -> None:
    from onward.audit.models import AuditEvent

    build(world, "pdu_n")
    event = AuditEvent.objects.get(action=AuditAction.REPORT_VIEWED)
    assert event.actor_id == world["senior"].pk
    assert event.data == {"unit": "PDU-N", "from": "2026-10", "to": "2026-11"}
    assert event.actor_role == "senior"


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile({}, 50) is None
    assert percentile({4: 1}, 90) == 4
    assert percentile({1: 1, 2: 1, 3: 1, 10: 1}, 50) == 2
    assert percentile({1: 1, 2: 1, 3: 1, 10: 1}, 90) == 10
    assert percentile({0: 9, 30: 1}, 90) == 0
    assert percentile({0: 9, 30: 1}, 91) == 30


@pytest.mark.django_db
def test_hdc_take_up_counts_each_series_by_its_own_date(world: dict[str, Any]) -> None:
    # eligible, put forward, licence granted
    # October: Cal's eligibility date is 31 October; Eve was put forward at 23:00 on 31 October.
    # November: Eve eligible on 1 November; Cal put forward at 00:00 on 1 November (then refused); Eve's licence.
    assert table(build(world, "ngt"), "hdc_take_up") == {"Oct 2026": [1, 1, 0], "Nov 2026": [1, 1, 1]}
    assert table(build(world, "wing_a"), "hdc_take_up") == {"Oct 2026": [1, 0, 0], "Nov 2026": [0, 1, 0]}
    assert table(build(world, "wing_b"), "hdc_take_up") == {"Oct 2026": [0, 1, 0], "Nov 2026": [1, 0, 1]}
    # The region adds up its prison and its PDU (whose people have no HDC date); Fay is in the south,
    # and her refused decision is not counted as put forward.
    assert table(build(world, "north"), "hdc_take_up") == {"Oct 2026": [1, 1, 0], "Nov 2026": [1, 1, 1]}
    assert table(build(world, "south", senior="south_senior"), "hdc_take_up") == {
        "Oct 2026": [0, 0, 0],
        "Nov 2026": [1, 1, 1],
    }
    assert table(build(world, "pdu_n"), "hdc_take_up") == {"Oct 2026": [0, 0, 0], "Nov 2026": [0, 0, 0]}


@pytest.mark.django_db
def test_rotl_take_up_counts_grants_by_type_absences_and_late_returns(world: dict[str, Any]) -> None:
    # day release, overnight release, childcare, special purpose, absences, late back
    # October: Gus's day release granted in its last hour, and his first absence (out on 31 October).
    # November: his special purpose licence; three absences: one on time, one an hour late, one still out.
    gus = {"Oct 2026": [1, 0, 0, 0, 1, 0], "Nov 2026": [0, 0, 0, 1, 3, 2]}
    assert table(build(world, "wing_a"), "rotl_take_up") == gus
    assert table(build(world, "ngt"), "rotl_take_up") == gus
    assert table(build(world, "north"), "rotl_take_up") == gus  # Hal is in the south
    assert table(build(world, "wing_b"), "rotl_take_up") == {"Oct 2026": [0] * 6, "Nov 2026": [0] * 6}
    assert table(build(world, "stn", senior="south_senior"), "rotl_take_up") == {
        "Oct 2026": [0] * 6,
        "Nov 2026": [1, 0, 0, 0, 1, 1],
    }
