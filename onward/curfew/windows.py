"""Curfew windows as London wall-clock times, turned into real instants across midnight and clock changes.

A window belongs to the night it starts: "Monday 19:00 to 07:00" runs from Monday 19:00 to Tuesday 07:00
London time. An end at or before the start means the next morning. A window starts (and ends) at the
first moment the London clock reads its time or later, which settles the two nights a year with an odd
hour: in March a 01:30 that never happens starts when the clocks jump to 02:00, and in October a 01:30
that happens twice starts the first time. So a 19:00–07:00 curfew lasts 11 hours on the night the
clocks go forward and 13 hours on the night they go back, as a practitioner would expect.

A variation replaces the window of one night (a late shift), or removes it.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
WEEKDAYS = range(7)


@dataclass(frozen=True)
class Window:
    """Curfew on the night starting on `weekday` (Monday=0), from `start` to `end` London time."""

    weekday: int
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def wall_hours(self) -> float:
        """Hours by the clock on the wall, as written on the licence (not counting a clock change)."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        minutes = end - start if end > start else end + 24 * 60 - start
        return minutes / 60


@dataclass(frozen=True)
class NightVariation:
    """For the night starting on `night`: a different window (start, end), or none (start is None)."""

    night: date
    start: time | None
    end: time | None


@dataclass(frozen=True)
class Interval:
    """One night's curfew in real time (UTC), and the night it belongs to."""

    night: date
    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def wall_instant(day: date, clock: time) -> datetime:
    """The first moment (UTC) the London clock reads `clock` on `day`, or later."""
    naive = datetime.combine(day, clock)
    candidates = sorted({naive.replace(tzinfo=LONDON, fold=fold).astimezone(UTC) for fold in (0, 1)})
    real = [instant for instant in candidates if _wall(instant) == naive]
    if real:
        return real[0]  # an ordinary time, or the first of a time that happens twice (October)
    # A time that never happens (March): the first minute the clock reads later than it.
    low, high = candidates[0], candidates[-1]
    while high - low > MINUTE:
        middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
        if middle <= low:
            break
        if _wall(middle) >= naive:
            high = middle
        else:
            low = middle
    return high


def intervals(
    windows: Iterable[Window], variations: Iterable[NightVariation], start: datetime, end: datetime
) -> list[Interval]:
    """Every curfew interval that overlaps [start, end), in time order."""
    by_weekday = {window.weekday: window for window in windows}
    varied = {variation.night: variation for variation in variations}
    first_night = start.astimezone(LONDON).date() - DAY
    last_night = end.astimezone(LONDON).date()
    found = []
    night = first_night
    while night <= last_night:
        interval = night_interval(night, by_weekday.get(night.weekday()), varied.get(night))
        if interval is not None and interval.end > start and interval.start < end:
            found.append(interval)
        night += DAY
    return found


def night_interval(night: date, window: Window | None, variation: NightVariation | None) -> Interval | None:
    """The curfew of one night in real time, after any variation; None when there is none that night."""
    if variation is not None:
        if variation.start is None or variation.end is None:
            return None
        window = Window(night.weekday(), variation.start, variation.end)
    if window is None:
        return None
    end_day = night + DAY if window.crosses_midnight else night
    return Interval(night, wall_instant(night, window.start), wall_instant(end_day, window.end))


def interval_at(found: list[Interval], at: datetime) -> Interval | None:
    """The interval (from a sorted list) that holds the instant, if any."""
    starts = [interval.start for interval in found]
    index = bisect_right(starts, at) - 1
    if index >= 0 and found[index].contains(at):
        return found[index]
    return None


def _wall(instant: datetime) -> datetime:
    return instant.astimezone(LONDON).replace(tzinfo=None)
