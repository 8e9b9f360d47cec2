"""The words of the curfew and exclusion-zone conditions, written from the data in English and Welsh.

Nights with the same hours are grouped ("Monday to Friday, 19:00 to 07:00"), so the licence reads as a
person would write it. The words go into the licence version's conditions; the data stays the record.
"""

from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from onward.curfew.windows import Window
from onward.location.address import metres_in_words

ENGLISH = "en-gb"
WELSH = "cy"


def curfew_details(windows: list[Window], address: str) -> tuple[str, str]:
    """The curfew condition's details ("Monday to Friday, 19:00 to 07:00, at 1 High Street") in English and Welsh."""
    return _in(ENGLISH, windows, address), _in(WELSH, windows, address)


def exclusion_details(description: str, description_cy: str, width_m: float) -> tuple[str, str]:
    """An exclusion zone as the person reads it: its description and its size, never a point."""
    english = _exclusion_in(ENGLISH, description, width_m)
    welsh = _exclusion_in(WELSH, description_cy or description, width_m)
    return english, welsh


def windows_words(windows: list[Window]) -> str:
    """The nights and hours in the active language, "Monday to Friday, 19:00 to 07:00; Saturday, 20:00 to 07:00"."""
    groups: list[tuple[list[int], Window]] = []
    for window in sorted(windows, key=lambda w: w.weekday):
        if groups and groups[-1][0][-1] == window.weekday - 1 and _same_hours(groups[-1][1], window):
            groups[-1][0].append(window.weekday)
        else:
            groups.append(([window.weekday], window))
    parts = []
    for days, window in groups:
        hours = _("%(start)s to %(end)s") % {"start": _clock(window.start), "end": _clock(window.end)}
        parts.append(_("%(days)s, %(hours)s") % {"days": _days(days), "hours": hours})
    return "; ".join(parts)


def _in(language: str, windows: list[Window], address: str) -> str:
    with translation.override(language):
        return _("%(when)s, at %(address)s") % {"when": windows_words(windows), "address": _one_line(address)}


def _exclusion_in(language: str, description: str, width_m: float) -> str:
    with translation.override(language):
        return _("%(area)s (about %(width)s across)") % {"area": description, "width": metres_in_words(width_m)}


def _days(days: list[int]) -> str:
    if len(days) == 1:
        return str(WEEKDAYS[days[0]])
    if len(days) == 2:
        return _("%(first)s and %(second)s") % {"first": WEEKDAYS[days[0]], "second": WEEKDAYS[days[1]]}
    return _("%(first)s to %(last)s") % {"first": WEEKDAYS[days[0]], "last": WEEKDAYS[days[-1]]}


def _same_hours(a: Window, b: Window) -> bool:
    return a.start == b.start and a.end == b.end


def _clock(value: object) -> str:
    return f"{value:%H:%M}"


def _one_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())
