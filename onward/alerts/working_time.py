"""Working hours: Monday to Friday, 09:00 to 17:00 London time, not on England and Wales bank holidays.

An unacknowledged high-severity alert escalates after a number of working minutes, so an alert raised
on Friday evening is not escalated to a senior over the weekend while no one is at work.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from onward.core.bank_holidays import is_bank_holiday

LONDON = ZoneInfo("Europe/London")
WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)
SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and not is_bank_holiday(day)


def working_deadline(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` working minutes after `start` (an aware datetime), in London time."""
    if start.tzinfo is None:
        raise ValueError("The start must be timezone-aware.")
    moment = _next_working_moment(start.astimezone(LONDON))
    remaining = timedelta(minutes=minutes)
    while True:
        day_end = datetime.combine(moment.date(), WORKDAY_END, tzinfo=LONDON)
        if moment + remaining <= day_end:
            return moment + remaining
        remaining -= day_end - moment
        moment = _day_start(_next_working_day(moment.date()))


def _next_working_moment(moment: datetime) -> datetime:
    """The moment itself inside working hours; else the start of the next working period."""
    day = moment.date()
    if is_working_day(day):
        if moment.time() < WORKDAY_START:
            return _day_start(day)
        if moment.time() < WORKDAY_END:
            return moment
    return _day_start(_next_working_day(day))


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _day_start(day: date) -> datetime:
    return datetime.combine(day, WORKDAY_START, tzinfo=LONDON)
