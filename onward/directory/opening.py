"""Open now, closes at, opens at: computed from a service's opening times in London wall-clock time.

Opening times are what the sign on the door says, so they are compared on the London wall clock:
"9am to 5pm" means 9am to 5pm in GMT in winter and in BST in summer. A period that closes at or
before the time it opens runs past midnight into the next day. A dated exception replaces the
weekly periods that start on its date; a period that started the day before still runs into it.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

LONDON = ZoneInfo("Europe/London")
LOOK_AHEAD_DAYS = 8  # a week and a day: the next opening is always found if the service opens weekly
MIDDAY = dt.time(12, 0)
MIDNIGHT = dt.time(0, 0)

Period = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class Hours:
    """One service's opening times: weekly periods by weekday (0 = Monday) and dated exceptions."""

    weekly: dict[int, tuple[Period, ...]] = field(default_factory=dict)
    # A date with an empty tuple is closed all day; `notes` says why ("Christmas Day").
    exceptions: dict[dt.date, tuple[Period, ...]] = field(default_factory=dict)
    notes: dict[dt.date, str] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return any(self.weekly.values())

    @classmethod
    def of(cls, service: Any) -> "Hours":
        """From a service whose opening_periods and opening_exceptions are prefetched."""
        return cls.from_rows(
            [(p.weekday, p.opens, p.closes) for p in service.opening_periods.all()],
            [(e.date, e.closed, e.opens, e.closes, e.note) for e in service.opening_exceptions.all()],
        )

    @classmethod
    def from_rows(
        cls,
        periods: Iterable[tuple[int, dt.time, dt.time]],
        exception_rows: Iterable[tuple[dt.date, bool, dt.time | None, dt.time | None, str]],
    ) -> "Hours":
        """From (weekday, opens, closes) and (date, closed, opens, closes, note) rows."""
        weekly: dict[int, list[Period]] = {}
        for weekday, opens, closes in periods:
            weekly.setdefault(weekday, []).append((opens, closes))
        exceptions: dict[dt.date, list[Period]] = {}
        notes: dict[dt.date, str] = {}
        for day, closed, special_opens, special_closes, note in exception_rows:
            found = exceptions.setdefault(day, [])
            if note:
                notes[day] = note
            if not closed and special_opens is not None and special_closes is not None:
                found.append((special_opens, special_closes))
        return cls(
            weekly={d: tuple(sorted(ps)) for d, ps in weekly.items()},
            exceptions={d: tuple(sorted(ps)) for d, ps in exceptions.items()},
            notes=notes,
        )


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    known: bool
    closes_at: dt.datetime | None = None  # London time, when open
    opens_at: dt.datetime | None = None  # London time, the next opening when closed

    def words(self, now: dt.datetime) -> str:
        return status_words(self, now)


def periods_starting_on(hours: Hours, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The periods that start on this date, as naive London wall-clock start and end."""
    periods = hours.exceptions[day] if day in hours.exceptions else hours.weekly.get(day.weekday(), ())
    spans = []
    for opens, closes in periods:
        start = dt.datetime.combine(day, opens)
        end_day = day if closes > opens else day + dt.timedelta(days=1)
        spans.append((start, dt.datetime.combine(end_day, closes)))
    return spans


def opening_status(hours: Hours, at: dt.datetime) -> OpeningStatus:
    """Whether the service is open at this moment and, if so, when it closes; if not, when it opens."""
    if not hours.known and not any(hours.exceptions.values()):
        return OpeningStatus(is_open=False, known=False)
    local = at.astimezone(LONDON).replace(tzinfo=None)
    today = local.date()
    spans = sorted(
        span
        for offset in range(-1, LOOK_AHEAD_DAYS)
        for span in periods_starting_on(hours, today + dt.timedelta(offset))
    )
    current = [span for span in spans if span[0] <= local < span[1]]
    if current:
        closes = max(end for _start, end in current)
        # Periods that follow on without a gap (9 to 12, 12 to 5) close at the end of the last.
        for start, end in spans:
            if start <= closes < end:
                closes = end
        return OpeningStatus(is_open=True, known=True, closes_at=_aware(closes))
    upcoming = [start for start, _end in spans if start > local]
    return OpeningStatus(is_open=False, known=True, opens_at=_aware(min(upcoming)) if upcoming else None)


def status_words(status: OpeningStatus, now: dt.datetime) -> str:
    """ "Open now. Closes at 5pm", "Closed now. Opens at 9am tomorrow": short, plain words."""
    if not status.known:
        return _("Ask them for opening times")
    today = now.astimezone(LONDON).date()
    if status.is_open and status.closes_at is not None:
        if status.closes_at.date() > today + dt.timedelta(days=1):
            return _("Open now")
        return _("Open now. Closes at %(time)s") % {"time": time_words(status.closes_at.time())}
    if status.opens_at is None:
        return _("Closed now")
    when = time_words(status.opens_at.time())
    day = status.opens_at.date()
    if day == today:
        return _("Closed now. Opens at %(time)s today") % {"time": when}
    if day == today + dt.timedelta(days=1):
        return _("Closed now. Opens at %(time)s tomorrow") % {"time": when}
    return _("Closed now. Opens on %(day)s at %(time)s") % {"day": weekday_name(day.weekday()), "time": when}


def time_words(value: dt.time) -> str:
    """9am, 5:30pm, midday, midnight."""
    if value == MIDDAY:
        return _("midday")
    if value == MIDNIGHT:
        return _("midnight")
    hour = value.hour % 12 or 12
    clock = f"{hour}:{value.minute:02d}" if value.minute else str(hour)
    return (_("%(clock)sam") if value.hour < 12 else _("%(clock)spm")) % {"clock": clock}


def weekday_name(weekday: int) -> str:
    from onward.directory.models import Weekday

    return str(Weekday(weekday).label)


def week_table(hours: Hours) -> list[tuple[str, str]]:
    """One row per weekday: the day's name and its periods in words ("9am to 12pm, 1pm to 5pm" or "Closed")."""
    return [(weekday_name(day), periods_words(hours.weekly.get(day, ()))) for day in range(7)]


def periods_words(periods: Iterable[Period]) -> str:
    parts = [
        _("%(opens)s to %(closes)s") % {"opens": time_words(opens), "closes": time_words(closes)}
        + (_(" (next day)") if closes <= opens and closes != MIDNIGHT else "")
        for opens, closes in periods
    ]
    return ", ".join(parts) if parts else _("Closed")


# --- Editors write opening times as text: "09:00-12:00, 13:00-17:00", or "closed" ---------------

_PERIOD = re.compile(r"^(\d{1,2})[:.]?(\d{2})?\s*(?:-|–|to)\s*(\d{1,2})[:.]?(\d{2})?$")
CLOSED_WORDS = frozenset({"", "closed", "ar gau"})


class OpeningTextError(ValueError):
    pass


def periods_parse(text: str) -> list[Period]:
    """ "09:00-12:00, 13:00-17:00" into periods; "" or "closed" into none. Raises OpeningTextError."""
    cleaned = (text or "").strip().lower()
    if cleaned in CLOSED_WORDS:
        return []
    periods = []
    for part in re.split(r"[,;]|\band\b", cleaned):
        match = _PERIOD.match(part.strip())
        if not match:
            raise OpeningTextError(part.strip())
        opens = _time(match.group(1), match.group(2))
        closes = _time(match.group(3), match.group(4))
        if opens == closes and opens != MIDNIGHT:
            raise OpeningTextError(part.strip())
        periods.append((opens, closes))
    return sorted(periods)


def periods_text(periods: Iterable[Period]) -> str:
    """The editor's form of some periods, the reverse of periods_parse."""
    return ", ".join(f"{o:%H:%M}-{c:%H:%M}" for o, c in periods) or "closed"


def _time(hour: str, minute: str | None) -> dt.time:
    h, m = int(hour), int(minute or 0)
    if h == 24 and m == 0:
        return MIDNIGHT
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise OpeningTextError(f"{hour}:{minute}")
    return dt.time(h, m)


def _aware(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LONDON)
