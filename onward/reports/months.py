"""Months as the first day of each: stepping, ranges and labels."""

from datetime import date


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included (first days of the month)."""
    found, month = [], month_start(first)
    while month <= last:
        found.append(month)
        month = month_add(month, 1)
    return found


def month_key(month: date) -> str:
    """The month as YYYY-MM: in addresses, CSV and the API."""
    return month.strftime("%Y-%m")
