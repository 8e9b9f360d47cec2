"""Appointments: a person's own (device token) and the staff diary (session). Confirm or ask to rearrange.

Staff may also book, cancel and record attendance for people in their scope. Times are ISO 8601
with their offset; the diary's days are London days. Staff open slots (times a person on their
caseload may book); the person lists the slots open to them and books one.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime, ConfigDict, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PlainText
from onward.appointments import selectors, services
from onward.appointments import slots as slot_services
from onward.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentState,
    Slot,
    SlotState,
)
from onward.core.audit_actions import AuditAction
from onward.notifications.reminders import ReminderSettings, reminder_preference_save, reminder_settings_for
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(tags=["appointments"])

NOTE_MAX_LENGTH = 1000
DIARY_DAYS_MAX = 31
AppointmentId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
SlotId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
PersonId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
Note = Annotated[PlainText, StringConstraints(max_length=NOTE_MAX_LENGTH)]


# --- Schemas ------------------------------------------------------------------------------------


class AppointmentOut(Schema):
    id: int
    person_id: int
    kind: AppointmentKind
    kind_label: str
    state: AppointmentState
    state_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    who_with: str
    address: str
    video_url: str
    compulsory: bool
    confirmed: bool
    rearrange_requested: bool
    rearranged_to: int | None


class PersonAppointmentsOut(Schema):
    upcoming: list[AppointmentOut]
    past: list[AppointmentOut]


class RearrangeRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: Note = Field("", description="When would suit the person better (optional).")


class DiaryQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = Field(None, description="The first day (London); today if not given.")
    days: int = Field(1, ge=1, le=DIARY_DAYS_MAX)
    office: int | None = Field(None, ge=1, le=DATABASE_ID_MAX, description="An office's diary instead of the caller's.")


class BookingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: AppointmentKind
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    address: Annotated[PlainText, StringConstraints(max_length=500)] = ""
    video_url: Annotated[PlainText, StringConstraints(max_length=200, pattern=r"^(https://\S+)?$")] = ""
    with_name: Annotated[PlainText, StringConstraints(max_length=200)] = Field(
        "", description="A partner service; empty means the appointment is with the caller."
    )
    notes: Note = ""
    compulsory: bool = True


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[PlainText, StringConstraints(min_length=1, max_length=500)]


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["attended", "failed_to_attend", "acceptable_absence"]
    reason: Annotated[PlainText, StringConstraints(max_length=500)] = ""


class OpenSlotOut(Schema):
    """A time the person may book."""

    id: int
    kind: AppointmentKind
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    who_with: str
    address: str
    video_url: str


class StaffSlotOut(OpenSlotOut):
    """A slot as the member of staff who opened it sees it."""

    state: SlotState
    for_person_id: int | None = Field(description="Kept for this person; null means anyone on the caseload.")
    booked_by_id: int | None
    appointment_id: int | None


class SlotOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: AppointmentKind
    date: dt.date = Field(description="The London day.")
    start: dt.time = Field(description="London time the first slot starts, e.g. 10:00.")
    end: dt.time = Field(description="London time the last slot must end by, e.g. 12:00.")
    length_minutes: int = Field(description="Length of each slot; one of the lengths the service allows.", ge=1, le=480)
    address: Annotated[PlainText, StringConstraints(max_length=500)] = ""
    video_url: Annotated[PlainText, StringConstraints(max_length=200, pattern=r"^(https://\S+)?$")] = ""
    for_person_id: int | None = Field(
        None, ge=1, le=DATABASE_ID_MAX, description="Keep the slots for one person you supervise."
    )


class SlotsOpenedOut(Schema):
    slots: list[StaffSlotOut]
    already_open: int = Field(description="Times in the range the caller already had open (left as they were).")
    bank_holidays: list[str] = Field(description="Bank holidays on the day in the office's or person's nation.")


class SlotWithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[PlainText, StringConstraints(max_length=500)] = Field(
        "", description="Needed when the slot is booked: the person's appointment is cancelled and they are told."
    )


# --- The person ---------------------------------------------------------------------------------


@router.get(
    "/me/appointments",
    response=responses({200: PersonAppointmentsOut}),
    summary="The signed-in person's upcoming and past appointments",
)
@permission("appointment.self")
def my_appointments(request: HttpRequest) -> PersonAppointmentsOut:
    user = api_caller(request)
    found = selectors.appointments_for_person(user, int(user.person_id))
    return PersonAppointmentsOut(upcoming=[_out(a) for a in found.upcoming], past=[_out(a) for a in found.past])


@router.post(
    "/me/appointments/{appointment_id}/confirm",
    response=responses({200: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Say the person will be there",
)
@permission("appointment.self")
def my_appointment_confirm(request: HttpRequest, appointment_id: AppointmentId) -> AppointmentOut:
    user = api_caller(request)
    appointment = _get(user, appointment_id, AuditAction.APPOINTMENT_VIEW_OWN_FOR_CONFIRM)
    return _out(_service(lambda: services.appointment_confirm(actor=user, appointment=appointment)))


@router.post(
    "/me/appointments/{appointment_id}/rearrange-request",
    response=responses({200: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Ask to rearrange an appointment",
)
@permission("appointment.self")
def my_appointment_rearrange_request(
    request: HttpRequest, appointment_id: AppointmentId, body: RearrangeRequestIn
) -> AppointmentOut:
    """The practitioner is told and decides; a compulsory appointment stands until they move it."""
    user = api_caller(request)
    appointment = _get(user, appointment_id, AuditAction.APPOINTMENT_VIEW_OWN_FOR_REARRANGE)
    return _out(
        _service(lambda: services.appointment_rearrange_request(actor=user, appointment=appointment, note=body.note))
    )


@router.get(
    "/me/appointment-slots",
    response=responses({200: list[OpenSlotOut]}),
    summary="Times the signed-in person may book with their worker",
)
@permission("appointment.self_book")
def my_open_slots(request: HttpRequest) -> list[OpenSlotOut]:
    """Open slots from the minimum notice to the booking horizon (four weeks by default), soonest first."""
    user = api_caller(request)
    return [_open_slot_out(s) for s in selectors.slots_bookable_by_person(user)]


@router.post(
    "/me/appointment-slots/{slot_id}/book",
    response=responses({201: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Book an open slot",
)
@permission("appointment.self_book")
def my_slot_book(request: HttpRequest, slot_id: SlotId) -> Status[AppointmentOut]:
    """Exactly one person gets a slot; the other is told it has gone (400). Repeating the request gives back
    the same appointment, never a second one."""
    user = api_caller(request)
    try:
        appointment = _service(lambda: slot_services.slot_book(actor=user, slot_id=slot_id))
    except PermissionDenied:
        raise Http404 from None
    return Status(201, _out(appointment))


class ReminderPreferenceOut(Schema):
    channel: str
    offsets_minutes: list[int]
    quiet_start: dt.time
    quiet_end: dt.time


class ReminderPreferenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["sms", "email", "push"]
    offsets_minutes: list[Literal[10080, 2880, 1440, 120, 60]] = Field(
        min_length=1, max_length=5, description="How long before each appointment, in minutes."
    )
    quiet_start: dt.time = Field(description="No reminders from this London time...")
    quiet_end: dt.time = Field(description="...until this one.")


@router.get(
    "/me/reminder-preference",
    response=responses({200: ReminderPreferenceOut}),
    summary="How the person is reminded (the defaults until they choose)",
)
@permission("appointment.self")
def my_reminder_preference(request: HttpRequest) -> ReminderPreferenceOut:
    user = api_caller(request)
    person = person_get(user, int(user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_REMINDERS)
    return _preference_out(reminder_settings_for(person))


@router.put(
    "/me/reminder-preference",
    response=responses({200: ReminderPreferenceOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Choose how and when the person is reminded",
)
@permission("appointment.self")
def my_reminder_preference_save(request: HttpRequest, body: ReminderPreferenceIn) -> ReminderPreferenceOut:
    """Reminders not yet sent are planned again at once; a way the person cannot be reached by is refused."""
    user = api_caller(request)
    person = person_get(user, int(user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_REMINDERS)
    wanted = ReminderSettings(
        channel=body.channel,
        offsets_minutes=[int(m) for m in body.offsets_minutes],
        quiet_start=body.quiet_start.replace(second=0, microsecond=0, tzinfo=None),
        quiet_end=body.quiet_end.replace(second=0, microsecond=0, tzinfo=None),
    )
    try:
        reminder_preference_save(actor=user, person=person, wanted=wanted)
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    return _preference_out(reminder_settings_for(person))


def _preference_out(current: ReminderSettings) -> ReminderPreferenceOut:
    return ReminderPreferenceOut(
        channel=current.channel,
        offsets_minutes=current.offsets_minutes,
        quiet_start=current.quiet_start,
        quiet_end=current.quiet_end,
    )


# --- Staff --------------------------------------------------------------------------------------


@router.get("/diary", response=responses({200: list[AppointmentOut]}, UNPROCESSABLE), summary="A staff diary")
@permission("appointment.view")
def diary(request: HttpRequest, query: Query[DiaryQuery]) -> list[AppointmentOut]:
    """The caller's own appointments, or an office's, for one or more London days."""
    user = api_caller(request)
    start = query.date or timezone.localdate()
    rows = selectors.diary(user, start, query.days, staff=None if query.office else user, office_id=query.office)
    return [_out(a) for a in rows]


@router.get(
    "/people/{person_id}/appointments",
    response=responses({200: PersonAppointmentsOut}, NOT_FOUND, UNPROCESSABLE),
    summary="One person's appointments",
)
@permission("appointment.view")
def person_appointments(request: HttpRequest, person_id: PersonId) -> PersonAppointmentsOut:
    user = api_caller(request)
    person = _person(user, person_id)
    found = selectors.appointments_for_person(user, person.pk)
    return PersonAppointmentsOut(upcoming=[_out(a) for a in found.upcoming], past=[_out(a) for a in found.past])


@router.post(
    "/people/{person_id}/appointments",
    response=responses({201: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Book an appointment",
)
@permission("appointment.manage")
def appointment_book(request: HttpRequest, person_id: PersonId, body: BookingIn) -> Status[AppointmentOut]:
    """The person is told at once and their reminders are planned."""
    user = api_caller(request)
    person = _person(user, person_id)
    details = services.AppointmentDetails(
        kind=body.kind,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        address=body.address,
        video_url=body.video_url,
        staff=None if body.with_name else user,
        with_name=body.with_name,
        notes=body.notes,
        compulsory=body.compulsory,
    )
    appointment = _service(lambda: services.appointment_book(actor=user, person=person, details=details))
    return Status(201, _out(appointment))


@router.post(
    "/appointments/{appointment_id}/cancel",
    response=responses({200: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Cancel an appointment, with a reason",
)
@permission("appointment.manage")
def appointment_cancel(request: HttpRequest, appointment_id: AppointmentId, body: ReasonIn) -> AppointmentOut:
    user = api_caller(request)
    appointment = _get(user, appointment_id, AuditAction.APPOINTMENT_VIEW_FOR_CANCEL)
    return _out(_service(lambda: services.appointment_cancel(actor=user, appointment=appointment, reason=body.reason)))


@router.post(
    "/appointments/{appointment_id}/attendance",
    response=responses({200: AppointmentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Record attendance",
)
@permission("appointment.manage")
def appointment_attendance(request: HttpRequest, appointment_id: AppointmentId, body: AttendanceIn) -> AppointmentOut:
    """Attended, failed to attend, or acceptable absence (with a reason)."""
    user = api_caller(request)
    appointment = _get(user, appointment_id, AuditAction.APPOINTMENT_VIEW_FOR_ATTENDANCE)
    return _out(
        _service(
            lambda: services.attendance_record(
                actor=user, appointment=appointment, outcome=body.outcome, reason=body.reason
            )
        )
    )


@router.get(
    "/appointment-slots",
    response=responses({200: list[StaffSlotOut]}),
    summary="The caller's open and booked slots still to come",
)
@permission("appointment.slots")
def slots_list(request: HttpRequest) -> list[StaffSlotOut]:
    user = api_caller(request)
    return [_staff_slot_out(s) for s in selectors.slots_for_staff(user)]


@router.post(
    "/appointment-slots",
    response=responses({201: SlotsOpenedOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Open a time range as bookable slots",
)
@permission("appointment.slots")
def slots_open(request: HttpRequest, body: SlotOpenIn) -> Status[SlotsOpenedOut]:
    """The range is cut into slots of the given length. A bank holiday is a warning in the answer, not a refusal."""
    user = api_caller(request)
    person = _person(user, body.for_person_id) if body.for_person_id else None
    opening = slot_services.SlotOpening(
        kind=body.kind,
        day=body.date,
        start=body.start,
        end=body.end,
        length_minutes=body.length_minutes,
        address=body.address,
        video_url=body.video_url,
        for_person=person,
    )
    try:
        opened = slot_services.slots_open(actor=user, opening=opening)
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    out = SlotsOpenedOut(
        slots=[_staff_slot_out(s) for s in opened.slots],
        already_open=opened.already_open,
        bank_holidays=opened.bank_holidays,
    )
    return Status(201, out)


@router.post(
    "/appointment-slots/{slot_id}/withdraw",
    response=responses({200: StaffSlotOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Withdraw a slot",
)
@permission("appointment.slots")
def slot_withdraw(request: HttpRequest, slot_id: SlotId, body: SlotWithdrawIn) -> StaffSlotOut:
    """A booked slot needs a reason: the person's appointment is cancelled and they are told."""
    user = api_caller(request)
    try:
        slot = selectors.slot_get(user, slot_id)
    except PermissionDenied:
        raise Http404 from None
    try:
        withdrawn = slot_services.slot_withdraw(actor=user, slot=slot, reason=body.reason)
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    return _staff_slot_out(withdrawn)


# --- helpers ------------------------------------------------------------------------------------


def _get(user: object, appointment_id: int, purpose: AuditAction) -> Appointment:
    try:
        return selectors.appointment_get(user, appointment_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None


def _person(user: object, person_id: int) -> Person:
    try:
        return person_get(user, person_id, purpose=AuditAction.PERSON_VIEW_APPOINTMENTS)
    except PermissionDenied:
        raise Http404 from None


def _service(call: Callable[[], Appointment]) -> Appointment:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _out(appointment: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.pk,
        person_id=appointment.person_id,
        kind=AppointmentKind(appointment.kind),
        kind_label=str(appointment.get_kind_display()),
        state=AppointmentState(appointment.state),
        state_label=str(appointment.get_state_display()),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        who_with=appointment.who_with,
        address=appointment.address,
        video_url=appointment.video_url,
        compulsory=appointment.compulsory,
        confirmed=appointment.confirmed_at is not None,
        rearrange_requested=appointment.rearrange_requested_at is not None,
        rearranged_to=appointment.rearranged_to_id,
    )


def _open_slot_out(slot: Slot) -> OpenSlotOut:
    return OpenSlotOut(
        id=slot.pk,
        kind=AppointmentKind(slot.kind),
        kind_label=str(slot.get_kind_display()),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        who_with=str(slot.staff.get_full_name() or slot.staff.username),
        address=slot.address,
        video_url=slot.video_url,
    )


def _staff_slot_out(slot: Slot) -> StaffSlotOut:
    return StaffSlotOut(
        **_open_slot_out(slot).model_dump(),
        state=SlotState(slot.state),
        for_person_id=slot.for_person_id,
        booked_by_id=slot.booked_by_id,
        appointment_id=slot.appointment_id,
    )
