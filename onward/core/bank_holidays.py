"""Bank holidays in each nation of the UK, from the data the `govuk-bank-holidays` package ships (no network).

Here in the lowest layer because several apps judge days by them: appointment slots and diaries, and
the working hours after which an unacknowledged alert escalates.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

BANK_HOLIDAY_DIVISIONS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
ENGLAND_AND_WALES = "england-and-wales"


def bank_holidays_on(day: date, divisions: Iterable[str] | None = None) -> list[str]:
    """The bank holidays on a day, as "Title (nation)".

    With `divisions`, only those nations' holidays; without, every nation's."""
    wanted = set(divisions) if divisions is not None else set(BANK_HOLIDAY_DIVISIONS)
    return [
        f"{title} ({BANK_HOLIDAY_DIVISIONS[division]})"
        for division, title in _bank_holidays().get(day, [])
        if division in wanted
    ]


def is_bank_holiday(day: date, division: str = ENGLAND_AND_WALES) -> bool:
    return any(found == division for found, _title in _bank_holidays().get(day, []))


@lru_cache(maxsize=1)
def _bank_holidays() -> dict[date, list[tuple[str, str]]]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    known = BankHolidays(use_cached_holidays=True)
    days: dict[date, list[tuple[str, str]]] = {}
    for division in BANK_HOLIDAY_DIVISIONS:
        for holiday in known.get_holidays(division=division):
            days.setdefault(holiday["date"], []).append((division, holiday["title"]))
    return days
