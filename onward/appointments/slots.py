"""Slots staff open and people book themselves: open a range, book one, withdraw one.

A slot belongs to the member of staff who opened it (and their office) and may be kept for one
person. Booking is one conditional UPDATE from open to booked, so when two people press at once
exactly one gets the time; the booking becomes an ordinary appointment through the same path as a
staff booking (audit, the person told, reminders planned), and the worker is told. Pressing again
(a double click, a retry after a lost connection) gives back the same appointment.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.appointments.models import SLOT_TRANSITIONS, Appointment, AppointmentState, Slot, SlotState
from onward.appointments.rules import slots_visible_to
from onward.appointments.services import (
    AppointmentDetails,
    appointment_booked,
    appointment_cancel,
    appointment_when,
    bank_holiday_divisions,
    bank_holidays_on,
    staff_office,
)
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.notifications.services import notification_queue
from onward.people.models import Person

SLOT_TAKEN = "slot_taken"


@dataclass(frozen=True)
class SlotOpening:
    """What a member of staff asks for: a kind, a place, a London day, a time range cut into slots."""

    kind: str
    day: date
    start: time
    end: time
    length_minutes: int
    address: str = ""
    video_url: str = ""
    for_person: Person | None = None


@dataclass(frozen=True)
class SlotsOpened:
    slots: list[Slot]
    already_open: int = 0
    bank_holidays: list[str] = field(default_factory=list)


def slot_times(day: date, start: time, end: time, length_minutes: int) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each whole slot in the range, London wall-clock times; a part slot at the end is left out."""
    if length_minutes <= 0:
        raise ValueError("A slot length must be positive.")
    first = datetime.combine(day, start)
    last = datetime.combine(day, end)
    step = timedelta(minutes=length_minutes)
    times = []
    at = first
    while at + step <= last:
        times.append((_london(at), _london(at + step)))
        at += step
    return times


def slot_opening_bank_holidays(*, actor: Any, opening: SlotOpening) -> list[str]:
    """The bank holidays on the opening's day in the office's nation, and the person's if it is kept for one."""
    units = [staff_office(actor), opening.for_person.unit if opening.for_person is not None else None]
    return bank_holidays_on(opening.day, bank_holiday_divisions(*units))


def slots_open(*, actor: Any, opening: SlotOpening) -> SlotsOpened:
    """Open the range as bookable slots. Times the member of staff already has open are left as they are."""
    require(actor, "appointment.slots", opening.for_person)
    times = _opening_check(opening)
    office = staff_office(actor)
    with transaction.atomic():
        existing = set(
            Slot.objects.filter(staff=actor, starts_at__in=[s for s, _e in times])
            .exclude(state=SlotState.WITHDRAWN)
            .values_list("starts_at", flat=True)
        )
        new = [
            Slot(
                staff=actor,
                office=office,
                kind=opening.kind,
                for_person=opening.for_person,
                address=opening.address.strip(),
                video_url=opening.video_url.strip(),
                starts_at=starts,
                ends_at=ends,
                created_by=actor,
            )
            for starts, ends in times
            if starts not in existing
        ]
        created = Slot.objects.bulk_create(new)
        holidays = slot_opening_bank_holidays(actor=actor, opening=opening)
        audit_record(
            actor=actor,
            role="staff",
            action=AuditAction.APPOINTMENT_SLOTS_OPENED,
            person=opening.for_person,
            target=created[0] if created else None,
            data={
                "kind": opening.kind,
                "slots": [s.pk for s in created],
                "first": times[0][0],
                "last": times[-1][1],
                "length_minutes": opening.length_minutes,
                "already_open": len(existing),
                "for_person": opening.for_person.pk if opening.for_person is not None else None,
                "bank_holidays": holidays,
            },
        )
    return SlotsOpened(slots=created, already_open=len(existing), bank_holidays=holidays)


def slot_book(*, actor: Any, slot_id: int) -> Appointment:
    """The signed-in person takes an open slot. Exactly one person gets it; asking again gives back the same booking."""
    require(actor, "appointment.self_book")
    now = timezone.now()
    earliest = now + timedelta(hours=settings.APPOINTMENT_SLOT_MIN_NOTICE_HOURS)
    with transaction.atomic():
        # Holding the person's row makes the limit below hold when one person books twice at once.
        person = Person.objects.select_for_update().select_related("unit").get(pk=actor.person_id)
        slot = slots_visible_to(actor).select_related("staff", "office").filter(pk=slot_id).first()
        if slot is None:
            raise PermissionDenied("appointment.self_book")
        if _booked_by(slot, person) is not None:
            return _booked_by(slot, person)  # type: ignore[return-value]
        if slot.state != SlotState.OPEN:
            raise _taken(slot)
        require(actor, "appointment.self_book", slot)
        if slot.starts_at < earliest:
            raise ValidationError(
                _("That time is too soon to book. Please choose a time at least %(hours)s hours from now.")
                % {"hours": settings.APPOINTMENT_SLOT_MIN_NOTICE_HOURS}
            )
        _limit_check(person, slot.kind, now)
        claimed = Slot.objects.filter(pk=slot.pk, state=SlotState.OPEN, starts_at__gte=earliest).update(
            state=SlotState.BOOKED, booked_by=person, booked_at=now
        )
        if not claimed:
            slot.refresh_from_db()
            mine = _booked_by(slot, person)
            if mine is not None:
                return mine
            raise _taken(slot)
        appointment = appointment_booked(
            actor=actor,
            role="person",
            person=person,
            details=AppointmentDetails(
                kind=slot.kind,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                address=slot.address,
                video_url=slot.video_url,
                staff=slot.staff,
                office=slot.office,
            ),
            audit_extra={"slot": slot.pk, "self_booked": True},
        )
        Slot.objects.filter(pk=slot.pk).update(appointment=appointment)
        _staff_notify(slot, person, appointment)
    return appointment


def slot_withdraw(*, actor: Any, slot: Slot, reason: str = "") -> Slot:
    """Take a slot back. If it was booked, a reason is needed and the appointment is cancelled (the person told)."""
    require(actor, "appointment.slots", slot)
    with transaction.atomic():
        locked = Slot.objects.select_for_update(of=("self",)).select_related("staff", "appointment").get(pk=slot.pk)
        if SlotState.WITHDRAWN not in SLOT_TRANSITIONS[locked.state]:
            raise ValidationError(_("This time has already been withdrawn."))
        was = locked.state
        if was == SlotState.BOOKED:
            if not reason.strip():
                raise ValidationError(
                    _("Someone has booked this time. Give a reason; we will tell them it is cancelled.")
                )
            if locked.appointment is not None and locked.appointment.state == AppointmentState.BOOKED:
                appointment_cancel(actor=actor, appointment=locked.appointment, reason=reason)
        locked.state = SlotState.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdraw_reason = reason.strip()
        locked.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit_record(
            actor=actor,
            role="staff",
            action=AuditAction.APPOINTMENT_SLOT_WITHDRAWN,
            person=locked.booked_by or locked.for_person,
            target=locked,
            reason=reason.strip(),
            data={"was": was, "appointment": locked.appointment_id, "starts_at": locked.starts_at},
        )
    return locked


# --- helpers ---------------------------------------------------------------------------------


def _opening_check(opening: SlotOpening) -> list[tuple[datetime, datetime]]:
    errors = []
    if opening.length_minutes not in settings.APPOINTMENT_SLOT_LENGTHS_MINUTES:
        raise ValidationError(_("Choose a slot length from the list."))
    if not opening.address.strip() and not opening.video_url.strip():
        errors.append(_("Enter an address or a video link."))
    times = slot_times(opening.day, opening.start, opening.end, opening.length_minutes)
    if opening.end <= opening.start:
        errors.append(_("The end time must be after the start time."))
    elif not times:
        errors.append(_("The time range is shorter than one slot."))
    elif len(times) > settings.APPOINTMENT_SLOTS_PER_OPENING_MAX:
        errors.append(
            _("That makes too many slots. Open at most %(max)s at a time.")
            % {"max": settings.APPOINTMENT_SLOTS_PER_OPENING_MAX}
        )
    elif times[0][0] <= timezone.now():
        errors.append(_("The slots must start in the future."))
    if errors:
        raise ValidationError(errors)
    return times


def _booked_by(slot: Slot, person: Person) -> Appointment | None:
    """The appointment this person already made from this slot (a repeated press), if any."""
    if slot.state == SlotState.BOOKED and slot.booked_by_id == person.pk and slot.appointment_id is not None:
        return Appointment.objects.select_related("staff").get(pk=slot.appointment_id)
    return None


def _taken(slot: Slot) -> ValidationError:
    if slot.state == SlotState.WITHDRAWN:
        return ValidationError(_("That time is no longer available. Please choose another."), code=SLOT_TAKEN)
    return ValidationError(_("Someone else has just taken that time. Please choose another."), code=SLOT_TAKEN)


def _limit_check(person: Person, kind: str, now: datetime) -> None:
    limit = settings.APPOINTMENT_SLOT_SELF_BOOKED_MAX_PER_KIND
    held = Appointment.objects.filter(
        person=person, kind=kind, state=AppointmentState.BOOKED, starts_at__gt=now, slot__isnull=False
    ).count()
    if held >= limit:
        raise ValidationError(
            _(
                "You already have %(count)s of these appointments booked. "
                "You can book another one after it, or ask your worker."
            )
            % {"count": held}
        )


def _staff_notify(slot: Slot, person: Person, appointment: Appointment) -> None:
    notification_queue(
        channel="in_app",
        recipient=str(slot.staff_id),
        user=slot.staff,
        person=person,
        subject=_("Appointment booked: %(ref)s") % {"ref": person.reference},
        body=_("%(ref)s booked your open time on %(when)s (%(what)s).")
        % {
            "ref": person.reference,
            "when": appointment_when(appointment.starts_at),
            "what": appointment.get_kind_display(),
        },
        idempotency_key=f"slot-booked:{slot.pk}:{appointment.pk}",
    )


def _london(moment: datetime) -> datetime:
    return timezone.make_aware(moment, timezone.get_default_timezone())
