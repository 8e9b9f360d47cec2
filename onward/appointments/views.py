"""Staff diary and appointment pages, the person's appointments, calendar feeds and Notify callbacks.

Thin: parse, call a service or selector, render. Each view declares its action; object checks are
in the selectors and services.
"""

from datetime import date, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from onward.accounts.actors import signed_in_user
from onward.appointments import calendar, selectors, services
from onward.appointments import slots as slot_services
from onward.appointments.forms import (
    AppointmentForm,
    AttendanceForm,
    RearrangeForm,
    RearrangeRequestForm,
    ReasonForm,
    ReminderPreferenceForm,
    SlotOpenForm,
)
from onward.appointments.models import Appointment, Slot, SlotState
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission, require
from onward.core.query import query_date
from onward.notifications.push import push_reachable
from onward.notifications.reminders import ReminderSettings, reminder_preference_save, reminder_settings_for
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.organisations.selectors import units_under
from onward.people.selectors import person_get

DIARY_VIEWS = {"day": 1, "week": 7}


# --- Staff ----------------------------------------------------------------------------------


@permission("appointment.view")
def diary(request: HttpRequest) -> HttpResponse:
    """A day or a week of appointments, for the signed-in member of staff or for an office."""
    view = request.GET.get("view", "day")
    days = DIARY_VIEWS.get(view, 1)
    day = query_date(request, "date") or timezone.localdate()
    start = day - timedelta(days=day.weekday()) if days == 7 else day
    offices = _offices(request.user)
    office_id = _int(request.GET.get("office"))
    office = next((o for o in offices if o.pk == office_id), None)
    rows = selectors.diary(
        request.user, start, days, staff=None if office else request.user, office_id=office.pk if office else None
    )
    by_day: list[tuple[date, list[Appointment]]] = []
    for offset in range(days):
        current = start + timedelta(days=offset)
        by_day.append((current, [a for a in rows if timezone.localtime(a.starts_at).date() == current]))
    context = {
        "view": "week" if days == 7 else "day",
        "start": start,
        "by_day": by_day,
        "previous": start - timedelta(days=days),
        "next": start + timedelta(days=days),
        "offices": offices,
        "office": office,
        "holidays": {d: services.bank_holidays_on(d) for d, _rows in by_day},
        "may_open_slots": can(request.user, "appointment.slots"),
    }
    return render(request, "appointments/diary.html", context)


@permission("appointment.manage")
def book(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_APPOINTMENT_BOOKING)
    require(request.user, "appointment.manage", person)
    form = AppointmentForm(request.POST or None, initial={"address": person.unit.name})
    holidays: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holidays = _holidays_for(request.user, person, data["day"])
        if not holidays or request.POST.get("bank_holiday_ok") == "1":
            try:
                services.appointment_book(actor=request.user, person=person, details=_details(request, data))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Appointment booked. %(name)s has been told.") % {"name": person.full_name})
                return redirect(f"{_diary_url()}?date={data['day'].isoformat()}")
    status = 400 if form.errors else 200
    context = {"person": person, "form": form, "holidays": holidays}
    return render(request, "appointments/book.html", context, status=status)


@permission("appointment.view")
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(request.user, appointment_id)
    context = {
        "appointment": appointment,
        "may_manage": can(request.user, "appointment.manage", appointment),
        "started": appointment.starts_at <= timezone.now(),
        "attendance_form": AttendanceForm(),
        "cancel_form": ReasonForm(),
    }
    return render(request, "appointments/detail.html", context)


@permission("appointment.manage")
def rearrange(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_FOR_REARRANGE
    )
    local = timezone.localtime(appointment.starts_at)
    initial = {
        "kind": appointment.kind,
        "day": local.date(),
        "start": local.time().strftime("%H:%M"),
        "end": timezone.localtime(appointment.ends_at).time().strftime("%H:%M"),
        "with_name": appointment.with_name,
        "address": appointment.address,
        "video_url": appointment.video_url,
        "notes": appointment.notes,
        "compulsory": "yes" if appointment.compulsory else "no",
    }
    form = RearrangeForm(request.POST or None, initial=initial)
    holidays: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holidays = _holidays_for(request.user, appointment.person, data["day"])
        if not holidays or request.POST.get("bank_holiday_ok") == "1":
            try:
                new = services.appointment_rearrange(
                    actor=request.user, appointment=appointment, details=_details(request, data), reason=data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Appointment rearranged. The person has been told."))
                return redirect("appointments:detail", appointment_id=new.pk)
    status = 400 if form.errors else 200
    context = {"appointment": appointment, "form": form, "holidays": holidays}
    return render(request, "appointments/rearrange.html", context, status=status)


@permission("appointment.slots")
def slots(request: HttpRequest) -> HttpResponse:
    """The member of staff's open and booked slots still to come, by day."""
    rows = selectors.slots_for_staff(request.user)
    return render(request, "appointments/slots.html", {"by_day": _by_day(rows)})


@permission("appointment.slots")
def slots_new(request: HttpRequest) -> HttpResponse:
    """Open a time range as slots people on the caseload can book."""
    people = selectors.caseload_people(request.user)
    office = services.staff_office(request.user)
    form = SlotOpenForm(request.POST or None, people=people, initial={"address": office.address if office else ""})
    holidays: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opening = slot_services.SlotOpening(
            kind=data["kind"],
            day=data["day"],
            start=data["start"],
            end=data["end"],
            length_minutes=data["length"],
            address=data["address"],
            video_url=data["video_url"],
            for_person=data["person"],
        )
        holidays = slot_services.slot_opening_bank_holidays(actor=request.user, opening=opening)
        if not holidays or request.POST.get("bank_holiday_ok") == "1":
            try:
                opened = slot_services.slots_open(actor=request.user, opening=opening)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = ngettext("%(count)s slot opened.", "%(count)s slots opened.", len(opened.slots)) % {
                    "count": len(opened.slots)
                }
                if opened.already_open:
                    text += " " + _("%(count)s of those times were open already.") % {"count": opened.already_open}
                messages.success(request, text)
                return redirect("appointments:slots")
    status = 400 if form.errors else 200
    return render(request, "appointments/slots_new.html", {"form": form, "holidays": holidays}, status=status)


@permission("appointment.slots")
def slot_withdraw(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Withdraw a slot; a booked one needs a reason, and the person's appointment is cancelled (they are told)."""
    slot = selectors.slot_get(request.user, slot_id)
    form = ReasonForm(request.POST or None)
    if slot.state != SlotState.BOOKED:
        form.fields["reason"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            slot_services.slot_withdraw(actor=request.user, slot=slot, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            booked = slot.state == SlotState.BOOKED
            messages.success(
                request, _("Slot withdrawn. The person has been told.") if booked else _("Slot withdrawn.")
            )
            return redirect("appointments:slots")
    status = 400 if form.errors else 200
    return render(request, "appointments/slot_withdraw.html", {"slot": slot, "form": form}, status=status)


@permission("appointment.manage")
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_FOR_CANCEL
    )
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_cancel(actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Appointment cancelled. The person has been told."))
    else:
        messages.error(request, _("Give a reason for cancelling."))
    return redirect("appointments:detail", appointment_id=appointment.pk)


@permission("appointment.manage")
@require_POST
def attendance(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_FOR_ATTENDANCE
    )
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_record(
                actor=request.user,
                appointment=appointment,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("appointments:detail", appointment_id=appointment.pk)


@permission("appointment.calendar")
def staff_calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request, "layouts/staff.html", "appointments:staff_calendar")


# --- The person -----------------------------------------------------------------------------


@permission("appointment.self")
def person_appointments(request: HttpRequest) -> HttpResponse:
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_APPOINTMENTS)  # type: ignore[union-attr, arg-type]
    found = selectors.appointments_for_person(request.user, person.pk)
    return render(
        request, "appointments/person_list.html", {"person": person, "upcoming": found.upcoming, "past": found.past}
    )


@permission("appointment.self")
def person_reminders(request: HttpRequest) -> HttpResponse:
    """How the person wants to be reminded: the way, how long before, and the hours we keep quiet."""
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_REMINDERS)  # type: ignore[union-attr, arg-type]
    current = reminder_settings_for(person)
    initial = {
        "channel": current.channel,
        "offsets": current.offsets_minutes,
        "quiet_start": current.quiet_start.hour,
        "quiet_end": current.quiet_end.hour,
    }
    form = ReminderPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = ReminderSettings(
            channel=data["channel"],
            offsets_minutes=data["offsets"],
            quiet_start=time(data["quiet_start"]),
            quiet_end=time(data["quiet_end"]),
        )
        try:
            reminder_preference_save(actor=signed_in_user(request), person=person, wanted=wanted)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. We will remind you this way from now on."))
            return redirect("appointments:person_appointments")
    context = {"person": person, "form": form, "push_ready": push_reachable(request.user)}
    return render(request, "appointments/person_reminders.html", context, status=400 if form.errors else 200)


@permission("appointment.self")
def person_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_OWN)
    return render(
        request, "appointments/person_detail.html", {"appointment": appointment, "form": RearrangeRequestForm()}
    )


@permission("appointment.self")
@require_POST
def person_confirm(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_OWN_FOR_CONFIRM
    )
    try:
        services.appointment_confirm(actor=request.user, appointment=appointment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. You have confirmed you will be there."))
    return redirect("appointments:person_appointment", appointment_id=appointment.pk)


@permission("appointment.self")
def person_rearrange(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(
        request.user, appointment_id, purpose=AuditAction.APPOINTMENT_VIEW_OWN_FOR_REARRANGE
    )
    form = RearrangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_rearrange_request(
                actor=request.user, appointment=appointment, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("We have asked your worker to rearrange. They will contact you."))
        return redirect("appointments:person_appointment", appointment_id=appointment.pk)
    return render(request, "appointments/person_rearrange.html", {"appointment": appointment, "form": form})


@permission("appointment.self_book")
def person_slots(request: HttpRequest) -> HttpResponse:
    """The times the person can book with their worker, by day."""
    rows = selectors.slots_bookable_by_person(request.user)
    return render(request, "appointments/person_slots.html", {"by_day": _by_day(rows)})


@permission("appointment.self_book")
def person_slot_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Check the time, then book it. Pressing twice books once."""
    slot = selectors.slot_get(request.user, slot_id)
    if request.method == "POST":
        try:
            appointment = slot_services.slot_book(actor=request.user, slot_id=slot.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("appointments:person_slots")
        messages.success(request, _("You have booked this appointment. We have told your worker."))
        return redirect("appointments:person_appointment", appointment_id=appointment.pk)
    if slot.state != SlotState.OPEN:
        if slot.booked_by_id == request.user.person_id and slot.appointment_id:  # type: ignore[union-attr]
            return redirect("appointments:person_appointment", appointment_id=slot.appointment_id)
        messages.error(request, _("Someone else has just taken that time. Please choose another."))
        return redirect("appointments:person_slots")
    return render(request, "appointments/person_slot_book.html", {"slot": slot})


@permission("appointment.self")
def person_calendar(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "appointment.calendar"):  # not in custody: there is no phone to add it to
        raise PermissionDenied("appointment.calendar")
    return _calendar_page(request, "layouts/person.html", "appointments:person_calendar")


# --- Calendar feed (opened by a calendar app with the secret address) --------------------------


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = calendar.calendar_feed_owner(token)
    if owner is None:
        raise Http404
    try:
        require(owner, "appointment.calendar")
    except PermissionDenied:
        raise Http404 from None
    body = calendar.calendar_render(owner, selectors.appointments_for_feed(owner, calendar.feed_since()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


calendar_feed.onward_permission = "appointment.calendar"  # type: ignore[attr-defined]


# --- helpers ---------------------------------------------------------------------------------


def _calendar_page(request: HttpRequest, layout: str, url_name: str) -> HttpResponse:
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("Your calendar address has stopped working."))
            return redirect(url_name)
        address = request.build_absolute_uri(calendar.calendar_feed_issue(actor=request.user))
    has_feed = request.user.calendar_feeds.filter(revoked_at__isnull=True).exists()  # type: ignore[union-attr]
    return render(request, "appointments/calendar.html", {"layout": layout, "address": address, "has_feed": has_feed})


def _details(request: HttpRequest, data: dict[str, Any]) -> services.AppointmentDetails:
    with_name = data["with_name"].strip()
    return services.AppointmentDetails(
        kind=data["kind"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        address=data["address"],
        video_url=data["video_url"],
        staff=None if with_name else request.user,
        with_name=with_name,
        notes=data["notes"],
        compulsory=data["compulsory"] == "yes",
        office=services.staff_office(request.user),
    )


def _holidays_for(user: Any, person: Any, day: date) -> list[str]:
    """Bank holidays on the day in the person's nation or the booking office's."""
    return services.bank_holidays_on(day, services.bank_holiday_divisions(person.unit, services.staff_office(user)))


def _by_day(rows: list[Slot]) -> list[tuple[date, list[Slot]]]:
    days: dict[date, list[Slot]] = {}
    for slot in rows:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return list(days.items())


def _offices(user: Any) -> list[OrgUnit]:
    return list(units_under([r.unit.path for r in staff_roles(user)], [UnitKind.OFFICE]).order_by("name"))


def _diary_url() -> str:
    from django.urls import reverse

    return reverse("appointments:diary")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
