"""Every change to appointments: book, rearrange, cancel, record attendance, confirm, ask to rearrange.

Each checks the policy, writes its audit event and tells the person through the outbox in the same
transaction, and (re)plans the reminders. A second failed attendance in a period raises an alert for
the practitioner to consider; the decision stays theirs.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from onward.appointments.models import (
    REASON_REQUIRED,
    Appointment,
    AppointmentState,
    transition_allowed,
)
from onward.appointments.reminders import APPOINTMENT_REMINDERS
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.notifications.reminders import reminders_plan_for, reminders_skip
from onward.notifications.services import notification_queue, person_notify
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.people.models import AssignmentRole, Person, StaffAssignment
from onward.people.rules import acting_role

BANK_HOLIDAY_DIVISIONS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}


@dataclass(frozen=True)
class AppointmentDetails:
    kind: str
    starts_at: datetime
    ends_at: datetime
    address: str = ""
    video_url: str = ""
    staff: Any | None = None
    with_name: str = ""
    notes: str = ""
    compulsory: bool = True
    office: Any | None = None


def appointment_book(*, actor: Any, person: Person, details: AppointmentDetails) -> Appointment:
    """Book an appointment for a person in the actor's scope; the person is told at once."""
    require(actor, "appointment.manage", person)
    _details_check(details)
    with transaction.atomic():
        return appointment_booked(actor=actor, role=acting_role(actor, person), person=person, details=details)


def appointment_booked(
    *, actor: Any, role: str, person: Person, details: AppointmentDetails, audit_extra: dict[str, Any] | None = None
) -> Appointment:
    """The booking itself, for a caller that has checked the policy and holds a transaction: create the
    appointment, audit it, tell the person and plan the reminders. Staff booking and a person taking an
    open slot both come through here."""
    appointment = _appointment_create(actor=actor, person=person, details=details)
    audit_record(
        actor=actor,
        role=role,
        action=AuditAction.APPOINTMENT_BOOKED,
        person=person,
        target=appointment,
        data={**_audit_data(appointment), **(audit_extra or {})},
    )
    with override(person.preferred_language):  # written for the person, in their language
        person_notify(
            person,
            subject=_("New appointment"),
            body=_("You have a new appointment: %(what)s on %(when)s at %(where)s.") % _describe(appointment),
            key=f"appointment-booked:{appointment.pk}",
        )
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment])
    return appointment


def appointment_rearrange(
    *, actor: Any, appointment: Appointment, details: AppointmentDetails, reason: str
) -> Appointment:
    """Move an appointment: the old one is marked rearranged (with the reason) and linked to the new one."""
    require(actor, "appointment.manage", appointment)
    _details_check(details)
    with transaction.atomic():
        old = _locked_for(appointment, AppointmentState.REARRANGED, reason)
        new = _appointment_create(actor=actor, person=old.person, details=details)
        _outcome_set(old, AppointmentState.REARRANGED, actor, reason, rearranged_to=new)
        audit_record(
            actor=actor,
            role=acting_role(actor, old.person),
            action=AuditAction.APPOINTMENT_REARRANGED,
            person=old.person,
            target=old,
            reason=reason,
            data={"new_appointment": new.pk, "before": _audit_data(old), "after": _audit_data(new)},
        )
        with override(old.person.preferred_language):
            person_notify(
                old.person,
                subject=_("Appointment moved"),
                body=_("Your appointment on %(old)s has moved to %(when)s at %(where)s.")
                % {**_describe(new), "old": _when(old.starts_at)},
                key=f"appointment-rearranged:{old.pk}",
            )
            reminders_plan_for(APPOINTMENT_REMINDERS, [new])
    return new


def appointment_cancel(*, actor: Any, appointment: Appointment, reason: str) -> Appointment:
    """Cancel an appointment with a reason; its reminders will not be sent."""
    require(actor, "appointment.manage", appointment)
    with transaction.atomic():
        locked = _locked_for(appointment, AppointmentState.CANCELLED, reason)
        _outcome_set(locked, AppointmentState.CANCELLED, actor, reason)
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.APPOINTMENT_CANCELLED,
            person=locked.person,
            target=locked,
            reason=reason,
        )
        with override(locked.person.preferred_language):
            person_notify(
                locked.person,
                subject=_("Appointment cancelled"),
                body=_("Your appointment on %(when)s has been cancelled. You do not need to go.") % _describe(locked),
                key=f"appointment-cancelled:{locked.pk}",
            )
    return locked


def attendance_record(*, actor: Any, appointment: Appointment, outcome: str, reason: str = "") -> Appointment:
    """Attended, failed to attend, or acceptable absence (with reason). Two failures in a period raise an alert."""
    require(actor, "appointment.manage", appointment)
    if outcome not in (
        AppointmentState.ATTENDED,
        AppointmentState.FAILED_TO_ATTEND,
        AppointmentState.ACCEPTABLE_ABSENCE,
    ):
        raise ValidationError(_("Choose attended, failed to attend or acceptable absence."))
    if appointment.starts_at > timezone.now():
        raise ValidationError(_("You can record attendance only once the appointment has started."))
    with transaction.atomic():
        locked = _locked_for(appointment, outcome, reason)
        _outcome_set(locked, outcome, actor, reason)
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.APPOINTMENT_ATTENDANCE_RECORDED,
            person=locked.person,
            target=locked,
            reason=reason,
            data={"outcome": outcome, "compulsory": locked.compulsory},
        )
        if outcome == AppointmentState.FAILED_TO_ATTEND:
            _absence_alert_if_due(locked)
    return locked


def appointment_confirm(*, actor: Any, appointment: Appointment) -> Appointment:
    """The person says they will be there."""
    require(actor, "appointment.self", appointment)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.state != AppointmentState.BOOKED:
            raise ValidationError(_("This appointment has changed. Check your appointments for the new details."))
        if locked.confirmed_at is None:
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["confirmed_at", "updated_at"])
            audit_record(
                actor=actor,
                role="person",
                action=AuditAction.APPOINTMENT_CONFIRMED,
                person=locked.person,
                target=locked,
            )
    return locked


def appointment_rearrange_request(*, actor: Any, appointment: Appointment, note: str = "") -> Appointment:
    """The person asks to rearrange; their practitioner is told and decides."""
    require(actor, "appointment.self", appointment)
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",)).select_related("person", "staff").get(pk=appointment.pk)
        )
        if locked.state != AppointmentState.BOOKED:
            raise ValidationError(_("This appointment has changed. Check your appointments for the new details."))
        locked.rearrange_requested_at = timezone.now()
        locked.rearrange_request_note = note.strip()[: settings.APPOINTMENT_NOTE_MAX_CHARS]
        locked.save(update_fields=["rearrange_requested_at", "rearrange_request_note", "updated_at"])
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.APPOINTMENT_REARRANGE_REQUESTED,
            person=locked.person,
            target=locked,
            data={"note": locked.rearrange_request_note},
        )
        for staff in _responsible_staff(locked):
            notification_queue(
                channel="in_app",
                recipient=str(staff.pk),
                user=staff,
                person=locked.person,
                subject=_("Request to rearrange: %(ref)s") % {"ref": locked.person.reference},
                body=_("%(ref)s asked to rearrange their appointment on %(when)s.")
                % {"ref": locked.person.reference, "when": _when(locked.starts_at)},
                idempotency_key=f"rearrange-request:{locked.pk}:{locked.rearrange_requested_at.isoformat()}",
            )
    return locked


def bank_holidays_on(day: date, divisions: Iterable[str] | None = None) -> list[str]:
    """The bank holidays on a day, as "Title (nation)", from the data the package ships (no network).

    With `divisions`, only those nations' holidays (see `bank_holiday_divisions`); without, every nation's."""
    wanted = set(divisions) if divisions is not None else set(BANK_HOLIDAY_DIVISIONS)
    return [
        f"{title} ({BANK_HOLIDAY_DIVISIONS[division]})"
        for division, title in _bank_holidays().get(day, [])
        if division in wanted
    ]


def bank_holiday_divisions(*units: OrgUnit | None) -> set[str]:
    """The nations whose bank holidays apply to these units (a person's unit, an office): the nearest
    unit up the tree named in APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT, else the default nation."""
    by_code: dict[str, str] = settings.APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT
    divisions: set[str] = set()
    for unit in units:
        if unit is None:
            continue
        division = settings.APPOINTMENT_BANK_HOLIDAY_DIVISION
        if by_code:
            ids = [int(part) for part in unit.path.strip("/").split("/") if part]
            codes = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "code"))
            for unit_id in reversed(ids):
                if codes.get(unit_id) in by_code:
                    division = by_code[codes[unit_id]]
                    break
        divisions.add(division)
    return divisions or {settings.APPOINTMENT_BANK_HOLIDAY_DIVISION}


def staff_office(user: Any) -> OrgUnit | None:
    """The probation office a member of staff works at (their first role held at an office), if any."""
    for held in staff_roles(user):
        if held.unit.kind == UnitKind.OFFICE:
            return held.unit
    return None


# --- helpers ---------------------------------------------------------------------------------


def _details_check(details: AppointmentDetails) -> None:
    errors = []
    if timezone.is_naive(details.starts_at) or timezone.is_naive(details.ends_at):
        raise ValueError("Appointment times must be timezone-aware.")
    if details.ends_at <= details.starts_at:
        errors.append(_("The end time must be after the start time."))
    if not details.address.strip() and not details.video_url.strip():
        errors.append(_("Enter an address or a video link."))
    if details.staff is None and not details.with_name.strip():
        errors.append(_("Say who the appointment is with."))
    if errors:
        raise ValidationError(errors)


def _appointment_create(*, actor: Any, person: Person, details: AppointmentDetails) -> Appointment:
    appointment = Appointment(
        person=person,
        kind=details.kind,
        staff=details.staff,
        with_name=details.with_name.strip(),
        office=details.office,
        address=details.address.strip(),
        video_url=details.video_url.strip(),
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        notes=details.notes.strip(),
        compulsory=details.compulsory,
        created_by=actor,
    )
    appointment.save()
    return appointment


def _locked_for(appointment: Appointment, target: str, reason: str) -> Appointment:
    locked = Appointment.objects.select_for_update(of=("self",)).select_related("person").get(pk=appointment.pk)
    if not transition_allowed(locked.state, target):
        raise ValidationError(
            _("This appointment is already %(state)s.") % {"state": locked.get_state_display().lower()}
        )
    if target in REASON_REQUIRED and not reason.strip():
        raise ValidationError(_("Give a reason."))
    return locked


def _outcome_set(
    appointment: Appointment, state: str, actor: Any, reason: str, rearranged_to: Appointment | None = None
) -> None:
    appointment.state = state
    appointment.outcome_reason = reason.strip()
    appointment.outcome_at = timezone.now()
    appointment.outcome_by = actor
    appointment.rearranged_to = rearranged_to
    appointment.save()
    if state != AppointmentState.ATTENDED:
        # The sending job re-checks the state too; this keeps the planned list honest.
        reminders_skip(APPOINTMENT_REMINDERS, [appointment.pk])


def _absence_alert_if_due(appointment: Appointment) -> None:
    since = appointment.starts_at - timedelta(days=settings.APPOINTMENT_ABSENCE_PERIOD_DAYS)
    failures = Appointment.objects.filter(
        person=appointment.person,
        state=AppointmentState.FAILED_TO_ATTEND,
        compulsory=True,
        starts_at__gte=since,
        starts_at__lte=appointment.starts_at,
    ).count()
    if failures < settings.APPOINTMENT_ABSENCES_BEFORE_ALERT:
        return
    person = appointment.person
    for staff in _responsible_staff(appointment):
        notification_queue(
            channel="in_app",
            recipient=str(staff.pk),
            user=staff,
            person=person,
            subject=_("Missed appointments: %(ref)s") % {"ref": person.reference},
            body=_(
                "%(ref)s has failed to attend %(count)s appointments in %(days)s days. "
                "Consider what to do; the decision is yours."
            )
            % {"ref": person.reference, "count": failures, "days": settings.APPOINTMENT_ABSENCE_PERIOD_DAYS},
            idempotency_key=f"absence-alert:{appointment.pk}",
        )
    audit_record(
        actor=None,
        action=AuditAction.APPOINTMENT_ABSENCE_ALERT_RAISED,
        person=person,
        target=appointment,
        data={"failures": failures, "period_days": settings.APPOINTMENT_ABSENCE_PERIOD_DAYS},
    )


def _responsible_staff(appointment: Appointment) -> list[Any]:
    """The person's practitioner (or key worker); else the member of staff the appointment is with."""
    roles = [AssignmentRole.PRACTITIONER, AssignmentRole.POM, AssignmentRole.KEY_WORKER]
    assigned = list(
        StaffAssignment.objects.filter(person=appointment.person, role__in=roles, ended_at__isnull=True)
        .select_related("staff")
        .order_by("role")
    )
    if assigned:
        return [min(assigned, key=lambda a: roles.index(AssignmentRole(a.role))).staff]
    return [appointment.staff] if appointment.staff is not None else []


def _audit_data(appointment: Appointment) -> dict[str, Any]:
    return {
        "kind": appointment.kind,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "staff": appointment.staff_id,
        "video": appointment.is_video,
        "compulsory": appointment.compulsory,
    }


def appointment_when(moment: datetime) -> str:
    """A time as people read it in messages: "Friday 27 November 2026, 10:00" (London)."""
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i")


_when = appointment_when


def _describe(appointment: Appointment) -> dict[str, str]:
    return {
        "what": str(appointment.get_kind_display()),
        "when": _when(appointment.starts_at),
        "where": _("a video call") if appointment.is_video else appointment.address.replace("\n", ", "),
    }


@lru_cache(maxsize=1)
def _bank_holidays() -> dict[date, list[tuple[str, str]]]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    known = BankHolidays(use_cached_holidays=True)
    days: dict[date, list[tuple[str, str]]] = {}
    for division in BANK_HOLIDAY_DIVISIONS:
        for holiday in known.get_holidays(division=division):
            days.setdefault(holiday["date"], []).append((division, holiday["title"]))
    return days
