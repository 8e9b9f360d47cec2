"""Reading query parameters from the address bar: anything a person could type there is expected.

A value that cannot be understood answers 400 with the plain "could not understand that address"
page (`core.views.error_400`), never a server error.
"""

from datetime import date

from django.core.exceptions import BadRequest
from django.http import HttpRequest

# Dates outside these are refused: the service has nothing before or after them, and arithmetic on
# dates near the ends of the calendar (a week before 1 January in year 1) cannot be done.
QUERY_DATE_MIN = date(1900, 1, 1)
QUERY_DATE_MAX = date(2199, 12, 31)


def query_date(request: HttpRequest, name: str) -> date | None:
    """The date in ?name=YYYY-MM-DD; None when it is absent or empty; BadRequest when it is not a date."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{name} is not a date") from None
    if not QUERY_DATE_MIN <= value <= QUERY_DATE_MAX:
        raise BadRequest(f"{name} is out of range")
    return value
