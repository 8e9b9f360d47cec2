"""Check-ins on the person's home page: one due now is the first thing to do; otherwise the next one.

Only for a person offered check-ins where they are (`Person.offers`: not in custody).
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from onward.checkins.models import OPEN_STATES, CheckIn, Enrolment
from onward.checkins.services import enrolment_due_on
from onward.core.permissions import can
from onward.people.home import COMING_UP, DO_NOW, HomeSection, home_section

NEXT_LOOK_AHEAD_DAYS = 28  # the longest schedule: every 4 weeks


def _offered(user: Any, person: Any) -> bool:
    return person.offers.checkins and can(user, "checkin.respond")


def _open_now(person: Any) -> CheckIn | None:
    now = timezone.now()
    return (
        CheckIn.objects.filter(person=person, state__in=OPEN_STATES, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .first()
    )


def checkin_next_due(enrolment: Enrolment, start: date, made: set[date] | frozenset[date] = frozenset()) -> date | None:
    """The first day from `start` on which the enrolment makes a check-in not yet `made` (None: not in 4 weeks)."""
    for days in range(NEXT_LOOK_AHEAD_DAYS + 1):
        day = start + timedelta(days=days)
        if day not in made and enrolment_due_on(enrolment, day):
            return day
    return None


@home_section("checkin_due", order=10, group=DO_NOW)
def checkin_due_section(user: Any, person: Any) -> HomeSection | None:
    if not _offered(user, person):
        return None
    checkin = _open_now(person)
    if checkin is None:
        return None
    return HomeSection("checkins/home_due.html", {"checkin": checkin})


@home_section("checkin_next", order=20, group=COMING_UP)
def checkin_next_section(user: Any, person: Any) -> HomeSection | None:
    if not _offered(user, person):
        return None
    enrolment = Enrolment.objects.filter(person=person, active=True, template_encrypted__isnull=False).first()
    if enrolment is None or _open_now(person) is not None:
        return None
    start = max(timezone.localdate(), enrolment.starts_on)
    made = set(CheckIn.objects.filter(person=person, due_date__gte=start).values_list("due_date", flat=True))
    day = checkin_next_due(enrolment, start, made)
    if day is None:
        return None
    return HomeSection("checkins/home_next.html", {"day": day})
