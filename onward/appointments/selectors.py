"""Reads of appointments, scoped by the policy, in a fixed number of queries. Reads are audited."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from onward.appointments.models import Appointment, AppointmentState, Slot, SlotState
from onward.appointments.rules import appointments_visible_to, slots_visible_to
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.people.models import Person, StaffAssignment
from onward.people.rules import acting_role

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class PersonAppointments:
    upcoming: list[Appointment]
    past: list[Appointment]


def appointment_get(
    user: Any, appointment_id: int, *, purpose: AuditAction = AuditAction.APPOINTMENT_VIEW
) -> Appointment:
    """One appointment the user may see (the same refusal whether it exists or not). The read is audited."""
    appointment = (
        appointments_visible_to(user)
        .select_related("person", "person__unit", "staff", "office", "rearranged_to")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise PermissionDenied("appointment.view")
    audit_record(
        actor=user,
        role=acting_role(user, appointment.person),
        action=purpose,
        person=appointment.person,
        target=appointment,
    )
    return appointment


def appointments_for_person(user: Any, person_id: int, now: datetime | None = None) -> PersonAppointments:
    """A person's upcoming (soonest first) and past (latest first) appointments."""
    at = now or timezone.now()
    rows = list(
        appointments_visible_to(user)
        .filter(person_id=person_id)
        .select_related("staff", "rearranged_to")
        .order_by("starts_at")
    )
    upcoming = [a for a in rows if a.ends_at >= at and a.state == AppointmentState.BOOKED]
    past = [a for a in reversed(rows) if a not in upcoming]
    return PersonAppointments(upcoming=upcoming, past=past)


def diary(
    user: Any, start: date, days: int, *, staff: Any | None = None, office_id: int | None = None
) -> list[Appointment]:
    """Appointments from `start` for `days` days (London days), for one member of staff or one office."""
    first = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    last = timezone.make_aware(datetime.combine(start + timedelta(days=days), datetime.min.time()))
    rows = appointments_visible_to(user).filter(starts_at__gte=first, starts_at__lt=last)
    if staff is not None:
        rows = rows.filter(staff=staff)
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    return list(rows.select_related("person", "staff", "office").order_by("starts_at"))


def appointments_for_feed(user: Any, since: datetime) -> list[Appointment]:
    """A calendar feed's events: a person's own; for staff, the appointments they are the one with."""
    rows = Appointment.objects.filter(starts_at__gte=since)
    if getattr(user, "kind", None) == "person":
        rows = rows.filter(person_id=user.person_id)
    else:
        rows = appointments_visible_to(user).filter(staff=user, starts_at__gte=since)
    return list(rows.select_related("person", "staff").order_by("starts_at"))


def slots_for_staff(user: Any, now: datetime | None = None) -> list[Slot]:
    """The member of staff's own open and booked slots still to come, soonest first."""
    at = now or timezone.now()
    return list(
        slots_visible_to(user)
        .filter(ends_at__gte=at, state__in=[SlotState.OPEN, SlotState.BOOKED])
        .select_related("staff", "for_person", "booked_by", "appointment")
        .order_by("starts_at")
    )


def slots_bookable_by_person(user: Any, now: datetime | None = None) -> list[Slot]:
    """Open slots the signed-in person may book: their workers' slots, from the notice period to the booking horizon."""
    at = now or timezone.now()
    earliest = at + timedelta(hours=settings.APPOINTMENT_SLOT_MIN_NOTICE_HOURS)
    latest = at + timedelta(days=settings.APPOINTMENT_SLOT_BOOKING_AHEAD_DAYS)
    return list(
        slots_visible_to(user)
        .filter(state=SlotState.OPEN, starts_at__gte=earliest, starts_at__lt=latest)
        .select_related("staff")
        .order_by("starts_at", "pk")
    )


def slot_get(user: Any, slot_id: int) -> Slot:
    """One slot the user may see (staff: their own; a person: one open to them); the same refusal if none."""
    slot = (
        slots_visible_to(user)
        .select_related("staff", "for_person", "booked_by", "appointment")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise PermissionDenied("appointment.slots")
    return slot


def caseload_people(user: Any) -> list[Person]:
    """The people this member of staff is assigned to (those they may open slots for)."""
    assigned = StaffAssignment.objects.filter(staff_id=user.pk, ended_at__isnull=True).values("person_id")
    return list(Person.objects.filter(pk__in=assigned).select_related("unit").order_by("last_name", "first_name"))
