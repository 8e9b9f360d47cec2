"""What needs attention: why a person on a caseload needs a look today, with reasons from every app.

The caseload lives in `people`, but most reasons belong to apps above it (alerts, check-ins, messages,
appointments). Each app registers its reasons in its own `attention.py` (found at start-up):

    @attention_reason("checkin_missed", rank=20, label=gettext_lazy("Missed check-in"))
    def _missed(moment: AttentionMoment) -> Exists:
        return Exists(CheckIn.objects.filter(person=OuterRef("pk"), state=State.EXPIRED))

A reason is a yes-or-no question about the person on the row, asked in SQL: an `Exists` correlated on
`OuterRef("pk")` or a `Q` on the person's own fields. The caseload adds every reason to its one query
as one number per person (`attention_annotate`), so showing the reasons, keeping only the people who
have one (`attention_needed`) and putting the most urgent first happen in the database, on the
reader's scope only, with pagination still there: a page costs the same number of queries however many
people it shows.

The order (lower rank first, most urgent first; `docs/attention.md` explains each):

    10 alert_urgent          an open high-severity alert (not yet closed)
    20 checkin_missed        a check-in was missed and nobody has closed it
    30 checkin_review        a check-in waits for the practitioner's review
    40 alert_open            any other alert not yet closed
    50 appointment_today     an appointment still booked for today
    60 message_unread        a message from them that no member of staff has read
    70 licence_unconfirmed   they have not confirmed their newest licence conditions
    80 release_soon          in custody, released within 12 weeks

People are ranked by their most urgent reason, then by the next one, and so on (like words in a
dictionary); people with the same reasons keep the caseload's other order (soonest release, name).
"""

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from typing import Any, TypeVar

from django.db.models import (
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from onward.people.models import CUSTODY_STATUSES, LicenceVersion, Person, Status

# A person in custody whose release is this close needs their release planned.
RELEASE_SOON_DAYS = 12 * 7

# Ranks below this are a risk to act on now; below PLANNING_RANK a decision waits; the rest is planning.
WAITING_DECISION_RANK = 30
PLANNING_RANK = 50

SCORE_ANNOTATION = "attention_score"


@dataclass(frozen=True)
class AttentionMoment:
    """Who asks and when: reasons about "today" use the reader's local day (Europe/London)."""

    reader: Any
    now: datetime
    today: date

    @property
    def day_starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.today, datetime.min.time()))

    @property
    def day_ends(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.today + timedelta(days=1), datetime.min.time()))


Condition = Callable[[AttentionMoment], Exists | Q]
C = TypeVar("C", bound=Condition)


@dataclass(frozen=True)
class AttentionReason:
    code: str
    rank: int
    label: Promise | str
    condition: Condition

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour: red for a risk to act on now, orange for a decision waiting, else blue."""
        if self.rank < WAITING_DECISION_RANK:
            return "govuk-tag--red"
        return "govuk-tag--orange" if self.rank < PLANNING_RANK else "govuk-tag--blue"


class AttentionReasons:
    """Every registered reason, most urgent first."""

    def __init__(self) -> None:
        self._reasons: dict[str, AttentionReason] = {}

    def reason(self, code: str, *, rank: int, label: Promise | str) -> Callable[[C], C]:
        def register(condition: C) -> C:
            clash = [r.code for r in self._reasons.values() if r.rank == rank and r.code != code]
            if clash:
                raise ValueError(f"Attention reason {code} has rank {rank}, as {clash[0]} has: ranks must differ")
            self._reasons[code] = AttentionReason(code=code, rank=rank, label=label, condition=condition)
            return condition

        return register

    def all(self) -> list[AttentionReason]:
        return sorted(self._reasons.values(), key=lambda reason: reason.rank)

    def get(self, code: str) -> AttentionReason:
        return self._reasons[code]


ATTENTION = AttentionReasons()
attention_reason = ATTENTION.reason


def attention_moment(reader: Any, now: datetime | None = None) -> AttentionMoment:
    at = now or timezone.now()
    return AttentionMoment(reader=reader, now=at, today=timezone.localdate(at))


def attention_annotate(people: QuerySet[Person], moment: AttentionMoment) -> QuerySet[Person]:
    """Each person with their reasons as one number, `attention_score`, computed in the same query.

    Each reason is a bit, the most urgent the highest, so ordering by the score descending compares
    people by their most urgent reason, then the next, and so on; `attention_reasons` reads the bits
    back. One number asks each reason's question once per row (several columns would ask it again
    to rank), and keeps the query small to build.
    """
    reasons = ATTENTION.all()
    bits = [
        Case(When(reason.condition(moment), then=Value(_bit(place, len(reasons)))), default=Value(0))
        for place, reason in enumerate(reasons, start=1)
    ]
    score: Expression = reduce(operator.add, bits) if bits else Value(0)
    return people.annotate(**{SCORE_ANNOTATION: ExpressionWrapper(score, output_field=IntegerField())})


def attention_load(people: Sequence[Person], moment: AttentionMoment) -> None:
    """Give a page of people loaded without `attention_annotate` their score: one query for the page.

    A caseload sorted by name or date leaves the score out of its own query, because SQLite works out
    every selected column for every row it sorts, not only for the page it returns.
    """
    missing = [person for person in people if not hasattr(person, SCORE_ANNOTATION)]
    if not missing:
        return
    found = Person.objects.filter(pk__in=[person.pk for person in missing])
    scores = dict(attention_annotate(found, moment).values_list("pk", SCORE_ANNOTATION))
    for person in missing:
        setattr(person, SCORE_ANNOTATION, scores.get(person.pk, 0))


def attention_needed(people: QuerySet[Person]) -> QuerySet[Person]:
    """Only the people with at least one reason (call on a queryset from `attention_annotate`)."""
    return people.filter(**{f"{SCORE_ANNOTATION}__gt": 0})


def attention_reasons(person: Person) -> list[AttentionReason]:
    """The reasons a person loaded through `attention_annotate` has, most urgent first."""
    score = getattr(person, SCORE_ANNOTATION, 0) or 0
    reasons = ATTENTION.all()
    return [reason for place, reason in enumerate(reasons, start=1) if score & _bit(place, len(reasons))]


def _bit(place: int, count: int) -> int:
    """The most urgent of `count` reasons (place 1) is the highest bit."""
    return 1 << (count - place)


# --- The reasons `people` knows itself -----------------------------------------------------------


@attention_reason("licence_unconfirmed", rank=70, label=gettext_lazy("Licence not confirmed"))
def _licence_unconfirmed(moment: AttentionMoment) -> Q:
    """Their newest licence version is not confirmed (an older one since replaced does not count), as on
    the "Licences not confirmed" page; not once supervision has ended."""
    newer = LicenceVersion.objects.filter(person=OuterRef("person"), number__gt=OuterRef("number"))
    unconfirmed = LicenceVersion.objects.filter(person=OuterRef("pk"), confirmed_at__isnull=True)
    return Q(Exists(unconfirmed.filter(~Exists(newer)))) & ~Q(status=Status.ENDED)


@attention_reason("release_soon", rank=80, label=gettext_lazy("Release within 12 weeks"))
def _release_soon(moment: AttentionMoment) -> Q:
    """In custody, with a release date (the conditional release or a set HDC date) in the next 12 weeks."""
    until = moment.today + timedelta(days=RELEASE_SOON_DAYS)
    return Q(status__in=sorted(CUSTODY_STATUSES)) & (
        Q(conditional_release_date__range=(moment.today, until)) | Q(hdc_actual_date__range=(moment.today, until))
    )
