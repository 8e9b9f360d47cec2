"""Appointments on the person's home page: those to confirm are something to do now; the week's are coming up."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from onward.appointments.selectors import appointments_for_person
from onward.core.permissions import can
from onward.people.home import COMING_UP, DO_NOW, HomeSection, home_section

WEEK = timedelta(days=7)


def _to_confirm(appointment: Any) -> bool:
    return appointment.confirmed_at is None and appointment.rearrange_requested_at is None


@home_section("appointments_to_confirm", order=40, group=DO_NOW)
def appointments_to_confirm(user: Any, person: Any) -> HomeSection | None:
    """Booked appointments the person has neither confirmed nor asked to rearrange."""
    if not can(user, "appointment.self"):
        return None
    waiting = [a for a in appointments_for_person(user, person.pk).upcoming if _to_confirm(a)]
    if not waiting:
        return None
    return HomeSection("appointments/home_to_confirm.html", {"appointments": waiting})


@home_section("appointments_week", order=10, group=COMING_UP)
def appointments_this_week(user: Any, person: Any) -> HomeSection | None:
    """The next 7 days' appointments (those still to confirm are under "What to do now")."""
    if not can(user, "appointment.self"):
        return None
    week_end = timezone.now() + WEEK
    soon = [
        a for a in appointments_for_person(user, person.pk).upcoming if a.starts_at < week_end and not _to_confirm(a)
    ]
    if not soon:
        return None
    return HomeSection("appointments/home_week.html", {"appointments": soon})
