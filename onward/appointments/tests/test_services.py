import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.appointments.models import TRANSITIONS, Appointment, AppointmentState
from onward.appointments.services import (
    AppointmentDetails,
    appointment_book,
    appointment_cancel,
    appointment_confirm,
    appointment_rearrange,
    appointment_rearrange_request,
    attendance_record,
    bank_holidays_on,
)
from onward.appointments.tests.factories import AppointmentFactory
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage, Reminder, ReminderState
from onward.notifications.services import contact_for
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def _details(days: int = 5, hour: int = 10, **kwargs: Any) -> AppointmentDetails:
    day = timezone.localdate() + dt.timedelta(days=days)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    values: dict[str, Any] = {
        "kind": "supervision",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=1),
        "address": "2 High Street",
        "with_name": "Pat",
    }
    values.update(kwargs)
    return AppointmentDetails(**values)


def test_booking_audits_tells_the_person_and_plans_reminders(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        appointment = appointment_book(actor=case["practitioner"], person=case["person"], details=_details())
    assert appointment.state == AppointmentState.BOOKED
    assert AuditEvent.objects.filter(action="appointment.booked", object_id=str(appointment.pk)).exists()
    notice = OutboxMessage.objects.get(idempotency_key=f"appointment-booked:{appointment.pk}")
    assert notice.channel == "sms"
    assert notice.recipient == case["person"].phone
    assert sorted(
        Reminder.objects.filter(kind="appointment", object_id=appointment.pk).values_list("offset_minutes", flat=True)
    ) == [
        120,
        2880,
    ]


def test_staff_outside_scope_cannot_book(case, make_staff):
    stranger = make_staff(Role.PRACTITIONER, case["org"]["office_s"])
    with pytest.raises(PermissionDenied):
        appointment_book(actor=stranger, person=case["person"], details=_details())
    security = make_staff(Role.SECURITY, case["org"]["north"])
    with pytest.raises(PermissionDenied):
        appointment_book(actor=security, person=case["person"], details=_details())


def test_a_person_cannot_book_or_touch_someone_elses_appointment(case):
    account = person_account_ensure(case["person"])
    with pytest.raises(PermissionDenied):
        appointment_book(actor=account, person=case["person"], details=_details())
    elsewhere = AppointmentFactory(person=case["other"])
    with pytest.raises(PermissionDenied):
        appointment_confirm(actor=account, appointment=elsewhere)


def test_booking_needs_a_place_and_an_order(case):
    with pytest.raises(ValidationError):
        appointment_book(actor=case["practitioner"], person=case["person"], details=_details(address=""))
    details = _details()
    backwards = AppointmentDetails(**{**details.__dict__, "ends_at": details.starts_at - dt.timedelta(minutes=1)})
    with pytest.raises(ValidationError):
        appointment_book(actor=case["practitioner"], person=case["person"], details=backwards)


def test_the_database_refuses_an_outcome_without_reason(case):
    appointment = AppointmentFactory(person=case["person"])
    appointment.state = AppointmentState.CANCELLED
    with pytest.raises(IntegrityError):
        appointment.save()


def test_transition_table_has_only_booked_as_an_open_state():
    assert set(TRANSITIONS) == set(AppointmentState.values)
    assert [state for state, targets in TRANSITIONS.items() if targets] == [AppointmentState.BOOKED]


def test_cancel_needs_a_reason_skips_reminders_and_tells_the_person(case):
    appointment = appointment_book(actor=case["practitioner"], person=case["person"], details=_details())
    with pytest.raises(ValidationError):
        appointment_cancel(actor=case["practitioner"], appointment=appointment, reason=" ")
    appointment_cancel(actor=case["practitioner"], appointment=appointment, reason="Office closed")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert set(
        Reminder.objects.filter(kind="appointment", object_id=appointment.pk).values_list("state", flat=True)
    ) == {ReminderState.SKIPPED}
    assert OutboxMessage.objects.filter(idempotency_key=f"appointment-cancelled:{appointment.pk}").exists()
    with pytest.raises(ValidationError):
        appointment_cancel(actor=case["practitioner"], appointment=appointment, reason="again")


def test_rearrange_links_the_old_to_the_new(case):
    old = appointment_book(actor=case["practitioner"], person=case["person"], details=_details())
    new = appointment_rearrange(
        actor=case["practitioner"], appointment=old, details=_details(days=6), reason="Person asked"
    )
    old.refresh_from_db()
    assert old.state == AppointmentState.REARRANGED
    assert old.rearranged_to == new
    assert old.outcome_reason == "Person asked"
    assert new.state == AppointmentState.BOOKED
    assert Reminder.objects.filter(kind="appointment", object_id=new.pk).count() == 2
    assert OutboxMessage.objects.filter(idempotency_key=f"appointment-rearranged:{old.pk}").exists()


def test_attendance_only_after_the_start(case):
    future = AppointmentFactory(person=case["person"])
    with pytest.raises(ValidationError):
        attendance_record(actor=case["practitioner"], appointment=future, outcome=AppointmentState.ATTENDED)


def test_acceptable_absence_needs_a_reason(case):
    past = AppointmentFactory(person=case["person"], starts_at=timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(ValidationError):
        attendance_record(actor=case["practitioner"], appointment=past, outcome=AppointmentState.ACCEPTABLE_ABSENCE)
    attendance_record(
        actor=case["practitioner"], appointment=past, outcome=AppointmentState.ACCEPTABLE_ABSENCE, reason="In hospital"
    )
    past.refresh_from_db()
    assert past.state == AppointmentState.ACCEPTABLE_ABSENCE


def test_two_failures_in_the_period_alert_the_practitioner_and_decide_nothing(case):
    now = timezone.now()
    first = AppointmentFactory(person=case["person"], starts_at=now - dt.timedelta(days=20))
    second = AppointmentFactory(person=case["person"], starts_at=now - dt.timedelta(hours=3))
    attendance_record(actor=case["practitioner"], appointment=first, outcome=AppointmentState.FAILED_TO_ATTEND)
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="absence-alert:").exists()
    attendance_record(actor=case["practitioner"], appointment=second, outcome=AppointmentState.FAILED_TO_ATTEND)
    alert = OutboxMessage.objects.get(idempotency_key=f"absence-alert:{second.pk}")
    assert alert.channel == "in_app"
    assert alert.user == case["practitioner"]
    assert "decision is yours" in alert.body
    assert AuditEvent.objects.filter(action="appointment.absence_alert_raised").count() == 1


def test_the_person_confirms_and_asks_to_rearrange(case):
    appointment = AppointmentFactory(person=case["person"])
    account = person_account_ensure(case["person"])
    appointment_confirm(actor=account, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.confirmed_at is not None
    appointment_rearrange_request(actor=account, appointment=appointment, note="I start work that day")
    appointment.refresh_from_db()
    assert appointment.rearrange_request_note == "I start work that day"
    told = OutboxMessage.objects.get(idempotency_key__startswith=f"rearrange-request:{appointment.pk}:")
    assert told.user == case["practitioner"]


def test_preferred_channel_falls_back_to_the_other_then_the_app(case):
    person = case["person"]
    person.email = "someone@example.org"
    assert contact_for(person, preferred="email") == ("sms", person.phone)  # not yet shown to be theirs
    person.email_verified_at = timezone.now()
    assert contact_for(person, preferred="email") == ("email", "someone@example.org")
    person.email = ""
    assert contact_for(person, preferred="email") == ("sms", person.phone)
    person.phone = ""
    assert contact_for(person, preferred="sms") == ("in_app", "")


def test_bank_holidays_are_known_offline_for_each_nation():
    assert bank_holidays_on(dt.date(2026, 12, 25)) == [
        "Christmas Day (England and Wales)",
        "Christmas Day (Scotland)",
        "Christmas Day (Northern Ireland)",
    ]
    assert bank_holidays_on(dt.date(2026, 3, 17)) == ["St Patrick’s Day (Northern Ireland)"]
    assert bank_holidays_on(dt.date(2026, 11, 30)) == ["St Andrew’s Day (Scotland)"]
    assert bank_holidays_on(dt.date(2026, 11, 24)) == []


def test_appointments_are_listed_by_start():
    assert Appointment._meta.ordering == ["starts_at"]
