import datetime as dt
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from onward.accounts.models import SignInLink
from onward.accounts.services import person_account_ensure, sign_in_link_redeem
from onward.appointments.models import AppointmentState
from onward.appointments.reminders import APPOINTMENT_REMINDERS
from onward.appointments.services import appointment_cancel
from onward.appointments.tests.factories import AppointmentFactory, ReminderPreferenceFactory
from onward.notifications.models import OutboxMessage, OutboxStatus, Reminder, ReminderState
from onward.notifications.reminders import (
    QuietHours,
    reminder_due_at,
    reminders_plan,
    reminders_plan_for,
    reminders_send,
    reminders_send_batch,
)
from onward.people.tests.factories import CommunityPersonFactory

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours(dt.time(21, 0), dt.time(8, 0))


def _london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_a_reminder_due_in_quiet_hours_waits_for_the_morning():
    starts = _london(2026, 6, 10, 14, 0)
    # 48 hours before is 14:00, outside quiet hours.
    assert reminder_due_at(starts, 48 * 60, QUIET) == _london(2026, 6, 8, 14, 0)
    # 17 hours before is 21:00 the evening before: quiet, so 08:00 on the day.
    assert reminder_due_at(starts, 17 * 60, QUIET) == _london(2026, 6, 10, 8, 0)


def test_a_morning_too_late_sends_the_evening_before():
    starts = _london(2026, 6, 10, 8, 30)
    # 2 hours before is 06:30; 08:00 is too late for an 08:30 start? No: it is before it.
    assert reminder_due_at(starts, 120, QUIET) == _london(2026, 6, 10, 8, 0)
    early = _london(2026, 6, 10, 7, 30)
    assert reminder_due_at(early, 120, QUIET) == _london(2026, 6, 9, 20, 59)


def test_clock_changes_keep_the_offset_in_real_hours_and_quiet_hours_in_local_time():
    # Clocks go back at 02:00 BST on 25 October 2026: 48 real hours before 10:00 GMT Monday is 11:00 BST Saturday.
    starts = _london(2026, 10, 26, 10, 0)
    due = reminder_due_at(starts, 48 * 60, QUIET)
    assert starts.astimezone(dt.UTC) - due.astimezone(dt.UTC) == dt.timedelta(hours=48)
    assert due.astimezone(LONDON).hour == 11
    # Clocks go forward on 29 March 2026: a 07:00 BST reminder moves to 08:00 BST.
    spring = _london(2026, 3, 29, 9, 0)
    assert reminder_due_at(spring, 120, QUIET).astimezone(LONDON) == _london(2026, 3, 29, 8, 0)


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
    offset=st.sampled_from([30, 120, 600, 24 * 60, 48 * 60, 72 * 60]),
)
def test_reminders_are_never_in_quiet_hours_and_never_after_the_start(day, minute, offset):
    naive = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
    starts = timezone.make_aware(naive, LONDON)
    due = reminder_due_at(starts, offset, QUIET)
    assert due < starts
    assert not QUIET.contains(due.astimezone(LONDON))
    assert due >= starts.astimezone(dt.UTC) - dt.timedelta(minutes=offset) or due.astimezone(LONDON).time() == dt.time(
        20, 59
    )


@pytest.mark.django_db
def test_sending_respects_state_rechecked_when_the_job_runs(case):
    appointment = AppointmentFactory(person=case["person"])
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment], now=timezone.now())
    # A change that bypassed the service (e.g. an import) still stops the reminders.
    type(appointment).objects.filter(pk=appointment.pk).update(state=AppointmentState.CANCELLED, outcome_reason="x")
    result = reminders_send(now=appointment.starts_at - dt.timedelta(minutes=1))
    assert result == {"sent": 0, "skipped": 2}
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="appointment-reminder:").exists()


@pytest.mark.django_db
def test_no_reminder_after_cancellation(case):
    appointment = AppointmentFactory(person=case["person"])
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment])
    appointment_cancel(actor=case["practitioner"], appointment=appointment, reason="Office closed")
    assert reminders_send(now=appointment.starts_at - dt.timedelta(minutes=1))["sent"] == 0


@pytest.mark.django_db
def test_due_reminders_go_to_the_log_with_a_working_link(case, settings, tmp_path):
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    settings.PUBLIC_BASE_URL = "https://onward.example"
    person = case["person"]
    person_account_ensure(person)
    appointment = AppointmentFactory(person=person)
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment])
    first = appointment.starts_at - dt.timedelta(hours=48)
    assert reminders_send(now=first - dt.timedelta(minutes=1))["sent"] == 0
    assert reminders_send(now=first + dt.timedelta(minutes=1))["sent"] == 1
    message = OutboxMessage.objects.get(idempotency_key__startswith="appointment-reminder:")
    assert message.status == OutboxStatus.SENT
    assert message.channel == "sms"
    log = (tmp_path / "sms.log").read_text()
    assert "Reminder:" in log
    assert person.phone in log
    assert "https://onward.example/me/link/" in message.body  # the site's public address, one setting
    token = message.body.split("/me/link/")[1].split("/")[0]
    link = SignInLink.objects.get(purpose="appointment_reminder")
    assert link.next_url == f"/me/appointments/{appointment.pk}/"
    assert sign_in_link_redeem(token=token, date_of_birth=person.date_of_birth)[1] == link.next_url
    # The same reminder is never sent again.
    assert reminders_send(now=first + dt.timedelta(minutes=5))["sent"] == 0


@pytest.mark.django_db
def test_fallback_when_the_preferred_channel_has_no_address(case, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = CommunityPersonFactory(unit=case["org"]["office_n"], phone="", email="p@example.org")
    ReminderPreferenceFactory(person=person, channel="sms", offsets_minutes=[60])
    appointment = AppointmentFactory(person=person)
    assert reminders_plan_for(APPOINTMENT_REMINDERS, [appointment]) == 1
    reminders_send(now=appointment.starts_at - dt.timedelta(minutes=30))
    message = OutboxMessage.objects.get(idempotency_key__startswith="appointment-reminder:")
    assert (message.channel, message.recipient) == ("email", "p@example.org")


@pytest.mark.django_db
def test_offsets_per_person_and_per_kind(case):
    person = case["person"]
    ReminderPreferenceFactory(person=person, offsets_minutes=[600], offsets_by_kind={"programme": [30]})
    supervision = AppointmentFactory(person=person)
    programme = AppointmentFactory(person=person, kind="programme")
    drug_test = AppointmentFactory(person=CommunityPersonFactory(unit=case["org"]["office_n"]), kind="drug_test")
    reminders_plan_for(APPOINTMENT_REMINDERS, [supervision, programme, drug_test])
    assert list(
        Reminder.objects.filter(kind="appointment", object_id=supervision.pk).values_list("offset_minutes", flat=True)
    ) == [600]
    assert list(
        Reminder.objects.filter(kind="appointment", object_id=programme.pk).values_list("offset_minutes", flat=True)
    ) == [30]
    assert sorted(
        Reminder.objects.filter(kind="appointment", object_id=drug_test.pk).values_list("offset_minutes", flat=True)
    ) == [120, 1440]


@pytest.mark.django_db
def test_planning_and_sending_take_a_fixed_number_of_queries_per_batch(case, settings, tmp_path):
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    people = [CommunityPersonFactory(unit=case["org"]["office_n"]) for _ in range(12)]
    for person in people:
        person_account_ensure(person)
    starts = timezone.now() + dt.timedelta(days=3)
    few = [AppointmentFactory(person=p, starts_at=starts) for p in people[:3]]
    many = [AppointmentFactory(person=p, starts_at=starts) for p in people[3:]]
    with CaptureQueriesContext(connection) as small:
        reminders_plan(now=timezone.now())
    Reminder.objects.all().delete()
    reminders_plan_for(APPOINTMENT_REMINDERS, few)
    with CaptureQueriesContext(connection) as send_small:
        reminders_send_batch(now=starts - dt.timedelta(minutes=1))
    reminders_plan_for(APPOINTMENT_REMINDERS, many)
    with CaptureQueriesContext(connection) as send_large:
        reminders_send_batch(now=starts - dt.timedelta(minutes=1))
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 2 * 12
    assert len(send_small) == len(send_large), [q["sql"][:80] for q in send_large]
    assert len(small) < 10


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_reminder_twice(case, settings, tmp_path):
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    appointments = [AppointmentFactory(person=CommunityPersonFactory(unit=case["org"]["office_n"])) for _ in range(20)]
    reminders_plan_for(APPOINTMENT_REMINDERS, appointments)
    now = max(a.starts_at for a in appointments) - dt.timedelta(minutes=1)
    results: list[dict[str, int]] = []

    def worker() -> None:
        try:
            results.append(reminders_send(now=now, batch_size=7))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["sent"] for r in results) == 40
    assert OutboxMessage.objects.filter(idempotency_key__startswith="appointment-reminder:").count() == 40
    lines = (tmp_path / "sms.log").read_text().splitlines()
    assert len(lines) == 40


@pytest.mark.django_db
def test_sending_early_never_spends_a_reminder(case, settings, tmp_path):
    """The README's `send_due_reminders --hours-ahead 72` sends the reminders due within 72 hours, now.

    Judging "still due" as if it were 72 hours later would skip (and so spend) the reminder of an
    appointment that starts within those hours; it must be sent instead.
    """
    from django.core.management import call_command

    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    person = CommunityPersonFactory(unit=case["org"]["office_n"], phone="07700900555")
    person_account_ensure(person)
    appointment = AppointmentFactory(person=person, starts_at=timezone.now() + dt.timedelta(hours=49))
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment])
    planned = Reminder.objects.filter(kind="appointment", object_id=appointment.pk)
    assert planned.count() >= 1
    call_command("send_due_reminders", "--hours-ahead", "72", stdout=StringIO())
    states = set(planned.values_list("state", flat=True))
    assert states == {ReminderState.SENT}
    assert OutboxMessage.objects.filter(person=person, idempotency_key__startswith="appointment-reminder:").exists()


@pytest.mark.django_db
def test_each_reminder_in_a_batch_is_in_its_own_persons_language(case, settings, tmp_path):
    """One batch holds Welsh and English speakers in turn; each gets their own words and date (no leak between)."""
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    people = [
        CommunityPersonFactory(unit=case["org"]["office_n"], preferred_language=language, phone=f"0770090000{i}")
        for i, language in enumerate(["cy", "en", "cy", "en"])
    ]
    starts = _london(2026, 6, 10, 14, 0)  # a Wednesday
    appointments = [AppointmentFactory(person=person, starts_at=starts) for person in people]
    for person in people:
        person.phone_verified_at = timezone.now()
        person.save(update_fields=["phone_verified_at"])
    reminders_plan_for(APPOINTMENT_REMINDERS, appointments, now=starts - dt.timedelta(days=7))
    assert reminders_send(now=starts - dt.timedelta(hours=47))["sent"] == 4
    bodies = {
        m.person_id: m.body for m in OutboxMessage.objects.filter(idempotency_key__startswith="appointment-reminder:")
    }
    for person in people:
        body = bodies[person.pk]
        if person.preferred_language == "cy":
            assert body.startswith("Nodyn atgoffa:"), body
            assert "Dydd Mercher" in body, body
        else:
            assert body.startswith("Reminder:"), body
            assert "Wednesday 10 June, 14:00" in body, body
