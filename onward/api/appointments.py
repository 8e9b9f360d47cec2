"""Appointments: a person's own (device token) and the staff diary (session). Confirm or ask to rearrange.

Staff may also book, cancel and record attendance for people in their scope. Times are ISO 8601
with their offset; the diary's days are London days.
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
from onward.appointments.models import Appointment, AppointmentKind, AppointmentState
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(tags=["appointments"])

NOTE_MAX_LENGTH = 1000
DIARY_DAYS_MAX = 31
AppointmentId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
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
    appointment = _get(user, appointment_id, "view_own_for_confirm")
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
    appointment = _get(user, appointment_id, "view_own_for_rearrange")
    return _out(
        _service(lambda: services.appointment_rearrange_request(actor=user, appointment=appointment, note=body.note))
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
    appointment = _get(user, appointment_id, "view_for_cancel")
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
    appointment = _get(user, appointment_id, "view_for_attendance")
    return _out(
        _service(
            lambda: services.attendance_record(
                actor=user, appointment=appointment, outcome=body.outcome, reason=body.reason
            )
        )
    )


# --- helpers ------------------------------------------------------------------------------------


def _get(user: object, appointment_id: int, purpose: str) -> Appointment:
    try:
        return selectors.appointment_get(user, appointment_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None


def _person(user: object, person_id: int) -> Person:
    try:
        return person_get(user, person_id, purpose="view_appointments")
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
