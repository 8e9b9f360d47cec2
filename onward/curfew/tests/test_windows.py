"""Curfew windows in real time, across midnight and the clock changes of 2024-2030 (Hypothesis).

The reference below finds each window's edges by walking the London clock minute by minute, a different
method from `wall_instant`, so the two can disagree if either is wrong.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onward.curfew.windows import LONDON, NightVariation, Window, interval_at, intervals, night_interval, wall_instant

# The clock-change Sundays of 2024-2030 (last Sunday of March and of October).
CHANGE_DAYS = [
    date(year, month, max(d for d in range(25, 32) if date(year, month, d).weekday() == 6))
    for year in range(2024, 2031)
    for month in (3, 10)
]
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
nights = st.one_of(
    st.sampled_from(CHANGE_DAYS).flatmap(lambda d: st.sampled_from([d - timedelta(days=1), d])),
    st.dates(date(2024, 1, 1), date(2030, 12, 31)),
)


def reference_instant(day: date, clock: time) -> datetime:
    """Walk the minutes from the day before until the London clock first reads `clock` on `day`, or later."""
    target = datetime.combine(day, clock)
    instant = datetime.combine(day - timedelta(days=1), time(12), tzinfo=UTC)
    while instant.astimezone(LONDON).replace(tzinfo=None) < target:
        instant += timedelta(minutes=1)
    return instant


@settings(max_examples=60, deadline=None)
@given(night=nights, clock=times)
def test_a_window_edge_is_the_first_moment_the_clock_reads_it(night: date, clock: time) -> None:
    assert wall_instant(night, clock) == reference_instant(night, clock)


@settings(max_examples=60, deadline=None)
@given(night=nights, start=times, end=times, offset_minutes=st.integers(-120, 26 * 60))
def test_in_curfew_matches_the_edges_walked_on_the_clock(
    night: date, start: time, end: time, offset_minutes: int
) -> None:
    if start == end:
        return
    window = Window(night.weekday(), start, end)
    begins = reference_instant(night, start)
    finishes = reference_instant(night + timedelta(days=1) if end <= start else night, end)
    at = begins + timedelta(minutes=offset_minutes)
    found = intervals([window], [], at - timedelta(days=2), at + timedelta(days=2))
    inside_this_night = begins <= at < finishes
    hit = interval_at(found, at)
    if inside_this_night:
        assert hit is not None
        assert hit.night == night
    elif hit is not None:
        assert hit.night != night  # only another week's window could hold it, and this test has one a week


@settings(max_examples=60, deadline=None)
@given(night=nights, start=times, end=times)
def test_a_nights_length_differs_from_the_clock_only_by_a_clock_change(night: date, start: time, end: time) -> None:
    if start == end:
        return
    window = Window(night.weekday(), start, end)
    interval = night_interval(night, window, None)
    assert interval is not None
    difference = round(interval.hours - window.wall_hours(), 9)  # hours as floats: 1 - 2e-15 is a whole hour
    assert difference in (-1.0, 0.0, 1.0) or abs(difference) < 1.0  # a start or end inside the lost hour
    if abs(difference) > 0:
        assert any(night <= change <= night + timedelta(days=1) for change in CHANGE_DAYS)


@pytest.mark.parametrize(
    ("night", "hours"),
    [(date(2025, 3, 29), 11.0), (date(2025, 10, 25), 13.0), (date(2025, 7, 5), 12.0), (date(2030, 3, 30), 11.0)],
)
def test_a_seven_to_seven_curfew_on_the_nights_the_clocks_change(night: date, hours: float) -> None:
    interval = night_interval(night, Window(night.weekday(), time(19), time(7)), None)
    assert interval is not None
    assert interval.hours == hours


def test_the_hour_that_happens_twice_starts_the_first_time_and_the_missing_hour_when_the_clock_jumps() -> None:
    assert wall_instant(date(2025, 10, 26), time(1, 30)) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert wall_instant(date(2025, 3, 30), time(1, 30)) == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)


def test_a_variation_replaces_or_removes_one_night_only() -> None:
    windows = [Window(day, time(19), time(7)) for day in range(7)]
    monday, tuesday = date(2026, 6, 1), date(2026, 6, 2)
    late = NightVariation(monday, time(23), time(8))
    found = intervals(windows, [late, NightVariation(tuesday, None, None)], _utc(monday, 0), _utc(tuesday, 23))
    by_night = {interval.night: interval for interval in found}
    assert by_night[monday].start == _utc(monday, 22)  # 23:00 BST
    assert by_night[monday].end == _utc(tuesday, 7)  # 08:00 BST
    assert tuesday not in by_night
    assert by_night[monday - timedelta(days=1)].end == _utc(monday, 6)


def _utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
