"""Open now, closes at, opens at: across midnight, on bank holidays and across the clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onward.directory.opening import (
    Hours,
    OpeningTextError,
    opening_status,
    periods_parse,
    status_words,
    time_words,
    week_table,
)

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
T = dt.time
EVERY_NIGHT = Hours(weekly={day: ((T(22), T(6)),) for day in range(7)})
OFFICE_HOURS = Hours(weekly={day: ((T(9), T(17)),) for day in range(5)})
# The clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)

instants = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(UTC))


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


@settings(max_examples=400, deadline=None)
@given(at=instants)
def test_a_night_shelter_is_open_from_ten_at_night_to_six_in_the_morning_london_time(at):
    local = at.astimezone(LONDON)
    status = opening_status(EVERY_NIGHT, at)
    assert status.is_open == (local.hour >= 22 or local.hour < 6)
    if status.is_open:
        assert status.closes_at is not None
        assert status.closes_at.time() == T(6)
        assert status.closes_at.replace(tzinfo=None) > local.replace(tzinfo=None)
    else:
        assert status.opens_at is not None
        assert status.opens_at.time() == T(22)
        assert status.opens_at.date() == local.date()


@settings(max_examples=400, deadline=None)
@given(at=instants)
def test_office_hours_follow_the_london_clock_in_summer_and_winter(at):
    local = at.astimezone(LONDON)
    status = opening_status(OFFICE_HOURS, at)
    assert status.is_open == (local.weekday() < 5 and 9 <= local.hour < 17)
    if not status.is_open:
        assert status.opens_at is not None
        opens_local = status.opens_at.replace(tzinfo=None)
        assert opens_local > local.replace(tzinfo=None)
        assert opens_local.time() == T(9)
        assert opens_local.weekday() < 5
        # It is the very next weekday opening, not a later one.
        assert opens_local - local.replace(tzinfo=None) <= dt.timedelta(days=3)


@settings(max_examples=200, deadline=None)
@given(
    day=st.sampled_from([SPRING_FORWARD, FALL_BACK, dt.date(2027, 3, 28), dt.date(2027, 10, 31)]),
    minute=st.integers(min_value=0, max_value=4 * 60 - 1),
)
def test_the_night_the_clocks_change_is_still_read_on_the_wall_clock(day, minute):
    """From midnight to 4am UTC on a clock-change day: open exactly while the London clock says before 6."""
    at = dt.datetime.combine(day, T(0), tzinfo=UTC) + dt.timedelta(minutes=minute)
    local = at.astimezone(LONDON)
    assert opening_status(EVERY_NIGHT, at).is_open == (local.hour < 6 or local.hour >= 22)


def test_a_period_past_midnight_belongs_to_the_day_it_starts():
    friday_late = Hours(weekly={4: ((T(20), T(2)),)})
    assert opening_status(friday_late, london(2026, 11, 27, 23)).is_open  # Friday 11pm
    saturday_early = opening_status(friday_late, london(2026, 11, 28, 1, 59))
    assert saturday_early.is_open
    assert saturday_early.closes_at == london(2026, 11, 28, 2)
    after = opening_status(friday_late, london(2026, 11, 28, 2))
    assert not after.is_open
    assert after.opens_at == london(2026, 12, 4, 20)
    assert not opening_status(friday_late, london(2026, 11, 27, 1)).is_open  # Friday 1am: Thursday is closed


def test_spring_forward_an_hour_is_missing_but_the_wall_clock_decides():
    early_sunday = Hours(weekly={6: ((T(0), T(3)),)})
    assert opening_status(early_sunday, utc(2026, 3, 29, 0, 30)).is_open  # 00:30 GMT
    assert opening_status(early_sunday, utc(2026, 3, 29, 1, 30)).is_open  # 02:30 BST
    assert not opening_status(early_sunday, utc(2026, 3, 29, 2, 0)).is_open  # 03:00 BST


def test_nine_am_is_nine_am_in_gmt_and_in_bst():
    sunday_morning = Hours(weekly={6: ((T(9), T(17)),)})
    assert not opening_status(sunday_morning, utc(2026, 10, 25, 8, 30)).is_open  # 08:30 GMT, after fall back
    assert opening_status(sunday_morning, utc(2026, 10, 25, 9, 0)).is_open
    assert opening_status(sunday_morning, utc(2026, 7, 5, 8, 30)).is_open  # 09:30 BST
    assert not opening_status(sunday_morning, utc(2026, 7, 5, 7, 30)).is_open  # 08:30 BST


def test_a_bank_holiday_closure_replaces_that_days_hours():
    boxing_day_closed = Hours(weekly=OFFICE_HOURS.weekly, exceptions={dt.date(2026, 12, 28): ()})
    status = opening_status(boxing_day_closed, london(2026, 12, 28, 10))  # a Monday
    assert not status.is_open
    assert status.opens_at == london(2026, 12, 29, 9)
    assert opening_status(OFFICE_HOURS, london(2026, 12, 28, 10)).is_open


def test_special_hours_on_a_date_and_an_overnight_period_running_into_it():
    hours = Hours(
        weekly={3: ((T(20), T(4)),), 4: ((T(9), T(17)),)},
        exceptions={dt.date(2026, 12, 25): ((T(10), T(12)),)},  # Christmas Day, a Friday
    )
    assert opening_status(hours, london(2026, 12, 25, 3)).is_open  # Thursday night runs on
    assert opening_status(hours, london(2026, 12, 25, 11)).is_open
    assert not opening_status(hours, london(2026, 12, 25, 15)).is_open


def test_periods_that_follow_on_close_at_the_end_of_the_last():
    split = Hours(weekly={0: ((T(9), T(12)), (T(12), T(17)))})
    assert opening_status(split, london(2026, 11, 30, 10)).closes_at == london(2026, 11, 30, 17)


def test_no_opening_times_means_ask():
    status = opening_status(Hours(), london(2026, 11, 30, 10))
    assert not status.known
    assert status_words(status, london(2026, 11, 30, 10)) == "Ask them for opening times"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 11, 30, 10), "Open now. Closes at 5pm"),
        (london(2026, 11, 30, 7), "Closed now. Opens at 9am today"),
        (london(2026, 11, 30, 18), "Closed now. Opens at 9am tomorrow"),
        (london(2026, 11, 28, 12), "Closed now. Opens on Monday at 9am"),
    ],
)
def test_plain_words(now, expected):
    assert status_words(opening_status(OFFICE_HOURS, now), now) == expected


def test_time_words():
    assert [time_words(t) for t in (T(9), T(17, 30), T(12), T(0), T(0, 30))] == [
        "9am",
        "5:30pm",
        "midday",
        "midnight",
        "12:30am",
    ]


def test_week_table_shows_closed_days_and_overnight_periods():
    table = dict(week_table(Hours(weekly={0: ((T(9), T(12)), (T(13), T(17))), 5: ((T(20), T(2)),)})))
    assert table["Monday"] == "9am to midday, 1pm to 5pm"
    assert table["Saturday"] == "8pm to 2am (next day)"
    assert table["Sunday"] == "Closed"


def test_editors_opening_text():
    assert periods_parse("09:00-12:00, 13:00 - 17:30") == [(T(9), T(12)), (T(13), T(17, 30))]
    assert periods_parse("20:00-02:00") == [(T(20), T(2))]
    assert periods_parse("closed") == []
    assert periods_parse("") == []
    for wrong in ("9 till 5", "25:00-26:00", "10:00-10:00"):
        with pytest.raises(OpeningTextError):
            periods_parse(wrong)
