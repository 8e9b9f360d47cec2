"""Every figure the reports show, as a registry: one small function per figure.

A figure's function answers one question with ONE aggregate query over another app's table, grouped by
the person's unit and the month: it yields `FigureRow`s (unit id, first day of the month, series,
bucket, count). The `reports_refresh` job (services.py) stores them in the monthly rollup; the page
adds them up over a unit and everything below it. Nothing here reads one person at a time.

To add a figure:

    @figure("code", group=RELEASE, order=95, title=_("..."), description=_("..."),
            columns=(Column("done", _("Done")), Column("late", _("Late"))))
    def my_figure(start: date, end: date) -> Iterable[FigureRow]:
        return monthly_counts(SomeModel.objects.all(), unit="person__unit", at="done_at", start=start,
                              end=end, done=Count("pk"), late=Count("pk", filter=Q(...)))

A figure whose series are dated by different fields (HDC take-up: the eligibility date, the decision, the
licence) chains one `monthly_counts` per date field: still aggregate queries, a few per figure.

Each person is counted at the unit they are at now (a released person at their probation office).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any

from django.db import models
from django.db.models import Count, F, Func, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onward.accounts.models import SignInAttempt
from onward.appointments.models import Appointment, AppointmentState
from onward.checkins.models import CheckIn, FaceDecision, ReviewDecision, State, Verification, VerificationStatus
from onward.core.actors import UserKind
from onward.learning.models import Certificate, LessonProgress
from onward.messaging.models import AuthorKind, Message
from onward.opportunities.models import Decision, DecisionOutcome, HdcCase, HdcStage, RotlAbsence, RotlGrant, RotlType
from onward.opportunities.models import Scheme as OpportunityScheme
from onward.people.models import Person
from onward.resettlement.models import PlanEvent, PlanEventKind, PrisonRequest, RequestState

# (unit id, first day of the month, series, bucket, count)
FigureRow = tuple[int, date, str, int, int]
CountFunction = Callable[[date, date], Iterable[FigureRow]]

# Layouts: how the page turns a figure's rows into a table and a chart.
MONTHLY = "monthly"  # a row per month, a column per series; grouped bars
TURNAROUND = "turnaround"  # a row per month: how many, median and 90th percentile days; lines
BY_VERSION = "by_version"  # a row per engine and version over the whole range; grouped bars

ENGAGEMENT = _("Engagement")
CHECK_INS = _("Check-ins")
APPOINTMENTS = _("Appointments")
REQUESTS = _("Requests")
RELEASE = _("Release")

# A check-in done within this many hours of opening is on time; later, while still open, it is late.
# (The figure's description says 24 hours in words: change both together.)
CHECKIN_ON_TIME_HOURS = 24
VERSION_SEPARATOR = "|"  # series of the verification figure: "<outcome>|<engine>|<version>"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise


@dataclass(frozen=True)
class Figure:
    code: str
    group: Promise
    order: int
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    count: CountFunction
    layout: str = MONTHLY


_FIGURES: dict[str, Figure] = {}


def figure(
    code: str,
    *,
    group: Promise,
    order: int,
    title: Promise,
    description: Promise,
    columns: tuple[Column, ...],
    layout: str = MONTHLY,
) -> Callable[[CountFunction], CountFunction]:
    """Register a figure's count function under `code` (once)."""

    def register(count: CountFunction) -> CountFunction:
        if code in _FIGURES:
            raise RuntimeError(f"Figure {code!r} is registered twice.")
        _FIGURES[code] = Figure(code, group, order, title, description, columns, count, layout)
        return count

    return register


def figures() -> list[Figure]:
    """Every figure, in page order."""
    return sorted(_FIGURES.values(), key=lambda f: (f.order, f.code))


def figure_get(code: str) -> Figure | None:
    return _FIGURES.get(code)


def monthly_counts(
    rows: QuerySet[Any], *, unit: str, at: str, start: date, end: date, **counts: Any
) -> Iterator[FigureRow]:
    """One GROUP BY unit and month over `rows` between `start` (a month's first day) and `end` (excluded).

    `at` is a date or date-time field; each keyword is an aggregate whose name is the series it counts.
    """
    field = rows.model._meta.get_field(at)
    is_date = isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    low, high = (start, end) if is_date else (_midnight(start), _midnight(end))
    grouped = (
        rows.filter(**{f"{at}__gte": low, f"{at}__lt": high})
        # Not "unit_id": that is a field of the person, whose table a figure may count.
        .values(counted_unit=F(unit), month=TruncMonth(at, output_field=models.DateField()))
        .annotate(**counts)
        .order_by()
    )
    for row in grouped:
        for series in counts:
            if row[series]:
                yield row["counted_unit"], _as_date(row["month"]), series, 0, int(row[series])


# --- Engagement ---------------------------------------------------------------------------------------


@figure(
    "sign_ins",
    group=ENGAGEMENT,
    order=10,
    title=_("Sign-ins"),
    description=_("Times people signed in to Onward, and how many different people signed in."),
    columns=(Column("sign_ins", _("Sign-ins")), Column("people", _("People"))),
)
def sign_ins(start: date, end: date) -> Iterable[FigureRow]:
    attempts = SignInAttempt.objects.filter(succeeded=True, user__kind=UserKind.PERSON, user__person__isnull=False)
    return monthly_counts(
        attempts,
        unit="user__person__unit",
        at="at",
        start=start,
        end=end,
        sign_ins=Count("pk"),
        people=Count("user", distinct=True),
    )


@figure(
    "messages",
    group=ENGAGEMENT,
    order=20,
    title=_("Messages sent by people"),
    description=_("Messages people wrote to staff or contacts, and how many different people wrote."),
    columns=(Column("messages", _("Messages")), Column("people", _("People"))),
)
def messages_sent(start: date, end: date) -> Iterable[FigureRow]:
    return monthly_counts(
        Message.objects.filter(author_kind=AuthorKind.PERSON),
        unit="conversation__person__unit",
        at="created_at",
        start=start,
        end=end,
        messages=Count("pk"),
        people=Count("conversation__person", distinct=True),
    )


@figure(
    "lessons",
    group=ENGAGEMENT,
    order=30,
    title=_("Course progress"),
    description=_("Lessons people finished, and how many different people finished one."),
    columns=(Column("lessons", _("Lessons finished")), Column("people", _("People"))),
)
def lessons_finished(start: date, end: date) -> Iterable[FigureRow]:
    return monthly_counts(
        LessonProgress.objects.filter(completed_at__isnull=False),
        unit="person__unit",
        at="completed_at",
        start=start,
        end=end,
        lessons=Count("pk"),
        people=Count("person", distinct=True),
    )


@figure(
    "courses",
    group=ENGAGEMENT,
    order=40,
    title=_("Courses completed"),
    description=_("Courses people finished (every lesson done, a certificate issued)."),
    columns=(Column("courses", _("Courses completed")),),
)
def courses_completed(start: date, end: date) -> Iterable[FigureRow]:
    return monthly_counts(
        Certificate.objects.all(), unit="person__unit", at="issued_at", start=start, end=end, courses=Count("pk")
    )


# --- Check-ins ----------------------------------------------------------------------------------------


@figure(
    "checkins",
    group=CHECK_INS,
    order=50,
    title=_("Check-ins done on time, late or missed"),
    description=_(
        "Check-ins by the month they were due. On time: done within 24 hours of opening. "
        "Late: done after that, before the check-in closed. Missed: not done before it closed."
    ),
    columns=(Column("on_time", _("On time")), Column("late", _("Late")), Column("missed", _("Missed"))),
)
def checkins_timeliness(start: date, end: date) -> Iterable[FigureRow]:
    done = Q(state__in=[State.SUBMITTED, State.REVIEWED], submitted_at__isnull=False)
    in_time = Q(submitted_at__lte=F("opens_at") + timedelta(hours=CHECKIN_ON_TIME_HOURS))
    return monthly_counts(
        CheckIn.objects.all(),
        unit="person__unit",
        at="due_date",
        start=start,
        end=end,
        on_time=Count("pk", filter=done & in_time),
        late=Count("pk", filter=done & ~in_time),
        missed=Count("pk", filter=Q(state__in=[State.EXPIRED, State.CLOSED])),
    )


VERIFICATION_OUTCOMES = (
    Column("agreed", _("Reviewer agreed")),
    Column("false_accept", _("False accepts")),
    Column("false_reject", _("False rejects")),
    Column("not_compared", _("Not compared")),
)


@figure(
    "verification",
    group=CHECK_INS,
    order=60,
    title=_("Face checks by engine version"),
    description=_(
        "Each face check's automatic decision against the reviewer's decision. A false accept: the engine "
        "said match and the reviewer said no match. A false reject: the engine said no match and the "
        "reviewer said match. Not compared: not reviewed yet, or the engine left it to the reviewer."
    ),
    columns=VERIFICATION_OUTCOMES,
    layout=BY_VERSION,
)
def verification_outcomes(start: date, end: date) -> Iterable[FigureRow]:
    human_match = Q(checkin__review__decision__in=[ReviewDecision.MATCH, ReviewDecision.MATCH_WITH_CONCERN])
    human_no_match = Q(checkin__review__decision=ReviewDecision.NO_MATCH)
    said_match, said_no_match = Q(decision=FaceDecision.MATCH), Q(decision=FaceDecision.NO_MATCH)
    agreed = (said_match & human_match) | (said_no_match & human_no_match)
    grouped = (
        Verification.objects.filter(
            status=VerificationStatus.DONE, created_at__gte=_midnight(start), created_at__lt=_midnight(end)
        )
        .values(
            "engine",
            "model_version",
            unit_id=F("checkin__person__unit"),
            month=TruncMonth("created_at", output_field=models.DateField()),
        )
        .annotate(
            agreed=Count("pk", filter=agreed),
            false_accept=Count("pk", filter=said_match & human_no_match),
            false_reject=Count("pk", filter=said_no_match & human_match),
            not_compared=Count("pk", filter=~(said_match | said_no_match) | Q(checkin__review__isnull=True)),
        )
        .order_by()
    )
    for row in grouped:
        for outcome in VERIFICATION_OUTCOMES:
            if row[outcome.key]:
                series = VERSION_SEPARATOR.join((outcome.key, row["engine"] or "?", row["model_version"] or "?"))
                yield row["unit_id"], _as_date(row["month"]), series, 0, int(row[outcome.key])


# --- Appointments -------------------------------------------------------------------------------------


@figure(
    "attendance",
    group=APPOINTMENTS,
    order=70,
    title=_("Attendance at appointments"),
    description=_("Appointments by the month they were due, with the attendance staff recorded."),
    columns=(
        Column("attended", _("Attended")),
        Column("failed", _("Failed to attend")),
        Column("acceptable", _("Acceptable absence")),
        Column("not_recorded", _("Not recorded yet")),
    ),
)
def attendance(start: date, end: date) -> Iterable[FigureRow]:
    return monthly_counts(
        Appointment.objects.all(),
        unit="person__unit",
        at="starts_at",
        start=start,
        end=end,
        attended=Count("pk", filter=Q(state=AppointmentState.ATTENDED)),
        failed=Count("pk", filter=Q(state=AppointmentState.FAILED_TO_ATTEND)),
        acceptable=Count("pk", filter=Q(state=AppointmentState.ACCEPTABLE_ABSENCE)),
        not_recorded=Count("pk", filter=Q(state=AppointmentState.BOOKED)),
    )


# --- Requests -----------------------------------------------------------------------------------------


@figure(
    "request_turnaround",
    group=REQUESTS,
    order=80,
    title=_("Request turnaround"),
    description=_(
        "Requests staff closed in the month (not those the person withdrew), and how many days they took "
        "from being sent to being closed: "
        "the median (half took this long or less) and the 90th percentile (9 in 10 took this long or less)."
    ),
    columns=(
        Column("closed", _("Closed")),
        Column("median", _("Median days")),
        Column("p90", _("90th percentile days")),
    ),
    layout=TURNAROUND,
)
def request_turnaround(start: date, end: date) -> Iterable[FigureRow]:
    grouped = (
        # Closed by staff; a request the person withdrew says nothing about how quickly staff answer.
        PrisonRequest.objects.filter(
            state=RequestState.CLOSED, closed_at__gte=_midnight(start), closed_at__lt=_midnight(end)
        )
        .values(
            unit_id=F("person__unit"),
            month=TruncMonth("closed_at", output_field=models.DateField()),
            days=DaysBetween(F("closed_at"), F("created_at")),
        )
        .annotate(closed=Count("pk"))
        .order_by()
    )
    for row in grouped:
        yield row["unit_id"], _as_date(row["month"]), "closed", max(int(row["days"]), 0), int(row["closed"])


# --- Release ------------------------------------------------------------------------------------------


@figure(
    "accommodation",
    group=RELEASE,
    order=90,
    title=_("Accommodation on release"),
    description=_(
        "People released, from their resettlement plan at release: with an address confirmed (an address "
        "on record and any 'no address' need done), or without one."
    ),
    columns=(Column("with_address", _("Address confirmed")), Column("without_address", _("No address confirmed"))),
)
def accommodation_on_release(start: date, end: date) -> Iterable[FigureRow]:
    handed_over = PlanEvent.objects.filter(kind=PlanEventKind.HANDED_OVER).annotate(
        missing=KeyTextTransform("checklist_missing", "data")
    )
    # The checklist item's code in quotes, so "no_address" (a need's code) does not match.
    no_address = Q(missing__contains='"address"')
    return monthly_counts(
        handed_over,
        unit="person__unit",
        at="at",
        start=start,
        end=end,
        with_address=Count("pk", filter=~no_address),
        without_address=Count("pk", filter=no_address),
    )


@figure(
    "hdc_take_up",
    group=RELEASE,
    order=100,
    title=_("Home detention curfew (HDC) take-up"),
    description=_(
        "Eligible: people whose HDC eligibility date (worked out from their sentence) falls in the month. "
        "Put forward: staff decisions to put someone forward for HDC, by the day decided. "
        "Licence granted: HDC cases that reached a curfew licence, by the day it was granted. "
        "The three are counted by their own dates, so one month's columns are not the same people."
    ),
    columns=(
        Column("eligible", _("Eligible")),
        Column("put_forward", _("Put forward")),
        Column("granted", _("Licence granted")),
    ),
)
def hdc_take_up(start: date, end: date) -> Iterable[FigureRow]:
    # One aggregate query for each date the series are counted by.
    put_forward = Decision.objects.filter(scheme=OpportunityScheme.HDC, outcome=DecisionOutcome.PUT_FORWARD)
    return chain(
        monthly_counts(
            Person.objects.filter(hdc_eligibility_date__isnull=False),
            unit="unit",
            at="hdc_eligibility_date",
            start=start,
            end=end,
            eligible=Count("pk"),
        ),
        monthly_counts(
            put_forward, unit="person__unit", at="decided_at", start=start, end=end, put_forward=Count("pk")
        ),
        monthly_counts(
            HdcCase.objects.filter(stage=HdcStage.LICENCE, closed_at__isnull=False),
            unit="person__unit",
            at="closed_at",
            start=start,
            end=end,
            granted=Count("pk"),
        ),
    )


@figure(
    "rotl_take_up",
    group=RELEASE,
    order=110,
    title=_("Release on temporary licence (ROTL) take-up"),
    description=_(
        "Grants of temporary release by type, by the day granted. Absences: times people went out on a "
        "grant, by the day they went out. Late: of those absences, the ones where the person came back "
        "after they were due, or was still out after it when the late alert was raised."
    ),
    columns=(
        *(Column(kind.value, kind.label) for kind in RotlType),
        Column("absences", _("Absences")),
        Column("late", _("Late back")),
    ),
)
def rotl_take_up(start: date, end: date) -> Iterable[FigureRow]:
    by_type = {kind.value: Count("pk", filter=Q(rotl_type=kind.value)) for kind in RotlType}
    late = Q(returned_at__gt=F("due_back_at")) | Q(late_alert_raised=True)
    return chain(
        monthly_counts(RotlGrant.objects.all(), unit="person__unit", at="granted_at", start=start, end=end, **by_type),
        monthly_counts(
            RotlAbsence.objects.all(),
            unit="person__unit",
            at="out_at",
            start=start,
            end=end,
            absences=Count("pk"),
            late=Count("pk", filter=late),
        ),
    )


# --- Helpers ------------------------------------------------------------------------------------------


class DaysBetween(Func):
    """Whole days from the second date-time to the first, in the database (SQLite or PostgreSQL)."""

    output_field = models.IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        (end_sql, end_params), (start_sql, start_params) = (compiler.compile(e) for e in self.source_expressions)
        params = [*end_params, *start_params]
        if connection.vendor == "sqlite":
            return f"CAST((julianday({end_sql}) - julianday({start_sql})) AS INTEGER)", params
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 86400) AS INTEGER)", params


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
