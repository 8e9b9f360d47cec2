"""The check-in lifecycle: creation exactly once, invitations, answers, idempotent submission, the state table."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import REASON_REQUIRED, TRANSITIONS, CheckIn, Enrolment, ExtraQuestion, Schedule, State
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory
from onward.notifications.models import OutboxMessage, Reminder, ReminderState
from onward.notifications.reminders import quiet_hours_for, reminder_due_at, reminders_send

GOOD_ANSWERS = {"mood": "well", "help": ["none"], "call_back": "no", "comment": ""}


def test_the_transition_table_is_the_one_in_the_issue():
    assert TRANSITIONS[State.CREATED] == {State.SUBMITTED, State.EXPIRED, State.CANCELLED}
    assert TRANSITIONS[State.SUBMITTED] == {State.REVIEWED, State.CANCELLED}
    assert TRANSITIONS[State.EXPIRED] == {State.CLOSED}
    assert not TRANSITIONS[State.REVIEWED]
    assert not TRANSITIONS[State.CANCELLED]
    assert not TRANSITIONS[State.CLOSED]
    assert {State.CANCELLED, State.CLOSED} == REASON_REQUIRED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "move"),
    [
        (State.CREATED, "review"),
        (State.CREATED, "close"),
        (State.SUBMITTED, "close"),
        (State.REVIEWED, "cancel"),
        (State.REVIEWED, "review"),
        (State.EXPIRED, "review"),
        (State.EXPIRED, "cancel"),
        (State.CANCELLED, "close"),
    ],
)
def test_services_refuse_moves_not_in_the_table(case, start, move):
    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]), state=start, state_reason="x" * 5)
    actor = case["practitioner"]
    moves = {
        "review": lambda: services.checkin_review_record(actor=actor, checkin=checkin, decision="match"),
        "close": lambda: services.checkin_close_missed(actor=actor, checkin=checkin, reason="Phoned; in hospital."),
        "cancel": lambda: services.checkin_cancel(actor=actor, checkin=checkin, reason="Entered by mistake."),
    }
    with pytest.raises(ValidationError):
        moves[move]()
    assert CheckIn.objects.get(pk=checkin.pk).state == start


@pytest.mark.django_db
def test_negative_outcomes_need_a_reason(case):
    missed = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]), state=State.EXPIRED)
    with pytest.raises(ValidationError):
        services.checkin_close_missed(actor=case["practitioner"], checkin=missed, reason="  ")
    closed = services.checkin_close_missed(
        actor=case["practitioner"], checkin=missed, reason="Phone was broken; seen in the office next day."
    )
    assert closed.state == State.CLOSED
    event = AuditEvent.objects.get(action="checkin.missed_closed")
    assert event.reason.startswith("Phone was broken")
    open_one = CheckInFactory(enrolment=missed.enrolment, state=State.CREATED)
    with pytest.raises(ValidationError):
        services.checkin_cancel(actor=case["practitioner"], checkin=open_one, reason="")
    assert (
        services.checkin_cancel(actor=case["practitioner"], checkin=open_one, reason="Duplicate").state == "cancelled"
    )


@pytest.mark.django_db
def test_another_practitioner_cannot_close_or_review(case):
    missed = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]), state=State.EXPIRED)
    with pytest.raises(PermissionDenied):
        services.checkin_close_missed(actor=case["other_practitioner"], checkin=missed, reason="Not mine to close")


@pytest.mark.django_db
def test_create_due_makes_one_checkin_and_invites_in_app_and_by_text(case):
    enrolment = EnrolmentFactory(person=case["person"], starts_on=timezone.localdate())
    assert services.checkins_create_due() == {"due": 1, "created": 1}
    assert services.checkins_create_due() == {"due": 1, "created": 0}
    checkin = CheckIn.objects.get(person=case["person"])
    assert checkin.closes_at - checkin.opens_at == dt.timedelta(hours=enrolment.window_hours)
    messages = OutboxMessage.objects.filter(person=case["person"]).order_by("channel")
    assert [m.channel for m in messages] == ["in_app", "sms"]
    # The link signs them in with their date of birth and opens the check-in, until the window closes.
    assert all("/me/link/" in m.body for m in messages)
    from onward.accounts.models import SignInLink

    link = SignInLink.objects.filter(purpose="checkin").latest("created_at")
    assert link.next_url == "/me/check-in/"
    assert messages.get(channel="sms").recipient == case["person"].phone


@pytest.mark.django_db
def test_schedules_fall_on_the_right_days(case):
    start = dt.date(2026, 11, 2)  # a Monday
    weekly = EnrolmentFactory.build(schedule=Schedule.WEEKLY, starts_on=start)
    fortnightly = EnrolmentFactory.build(schedule=Schedule.FORTNIGHTLY, starts_on=start)
    days = EnrolmentFactory.build(schedule=Schedule.WEEKDAYS, weekdays="1,4", starts_on=start)
    assert services.enrolment_due_on(weekly, start + dt.timedelta(days=7))
    assert not services.enrolment_due_on(weekly, start + dt.timedelta(days=8))
    assert not services.enrolment_due_on(fortnightly, start + dt.timedelta(days=7))
    assert services.enrolment_due_on(fortnightly, start + dt.timedelta(days=14))
    assert services.enrolment_due_on(days, dt.date(2026, 11, 3))  # Tuesday
    assert not services.enrolment_due_on(days, dt.date(2026, 11, 4))
    assert not services.enrolment_due_on(weekly, start - dt.timedelta(days=7))


@pytest.mark.django_db
def test_stopped_enrolments_make_no_checkins(case):
    enrolment = EnrolmentFactory(person=case["person"])
    with pytest.raises(ValidationError):
        services.enrolment_stop(actor=case["practitioner"], enrolment=enrolment, reason="")
    services.enrolment_stop(actor=case["practitioner"], enrolment=enrolment, reason="In hospital for two weeks")
    assert services.checkins_create_due()["created"] == 0
    services.enrolment_restart(actor=case["practitioner"], enrolment=enrolment, reason="Home again")
    assert services.checkins_create_due()["created"] == 1
    actions = list(AuditEvent.objects.filter(person=case["person"]).values_list("action", "reason"))
    assert ("checkin.stopped", "In hospital for two weeks") in actions
    assert ("checkin.restarted", "Home again") in actions


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_make_one_checkin(org, make_staff):
    from onward.checkins.models import Questionnaire

    if not Questionnaire.objects.filter(active=True).exists():  # transaction tests flush the seeded rows
        from importlib import import_module

        from django.apps import apps

        import_module("onward.checkins.migrations.0002_questionnaire_v1").seed(apps, None)
    enrolments = EnrolmentFactory.create_batch(3)
    start = threading.Barrier(2)
    results: list = []
    errors: list = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(services.checkins_create_due())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(r["created"] for r in results) == 3
    assert CheckIn.objects.count() == 3
    for enrolment in enrolments:
        assert OutboxMessage.objects.filter(person=enrolment.person, channel="sms").count() == 1


@pytest.mark.django_db
def test_practitioner_questions_join_the_next_checkin_up_to_three(case):
    EnrolmentFactory(person=case["person"])
    for n in range(3):
        services.extra_question_add(actor=case["practitioner"], person=case["person"], text=f"Question {n}?")
    with pytest.raises(ValidationError):
        services.extra_question_add(actor=case["practitioner"], person=case["person"], text="A fourth?")
    services.checkins_create_due()
    checkin = CheckIn.objects.get(person=case["person"])
    assert checkin.extra_questions.count() == 3
    assert not ExtraQuestion.objects.filter(person=case["person"], checkin__isnull=True).exists()


@pytest.mark.django_db
def test_answers_flag_by_the_questionnaire_rules(case):
    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]))
    person = case["person"].account if hasattr(case["person"], "account") else None
    from onward.accounts.services import person_account_ensure

    person = person_account_ensure(case["person"])
    with pytest.raises(ValidationError):
        services.checkin_answers_save(actor=person, checkin=checkin, answers={"mood": "grand"})
    saved = services.checkin_answers_save(
        actor=person, checkin=checkin, answers={"mood": "struggling", "help": ["housing"], "call_back": "yes"}
    )
    assert {a.question.key: a.flagged for a in saved} == {"mood": True, "help": True, "call_back": True}
    saved = services.checkin_answers_save(actor=person, checkin=checkin, answers=GOOD_ANSWERS)
    assert not any(a.flagged for a in saved)


@pytest.mark.django_db
def test_a_person_cannot_answer_another_persons_checkin(case):
    from onward.accounts.services import person_account_ensure

    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]))
    stranger = person_account_ensure(case["other_person"])
    with pytest.raises(PermissionDenied):
        services.checkin_answers_save(actor=stranger, checkin=checkin, answers=GOOD_ANSWERS)


@pytest.mark.django_db
def test_a_retried_submit_returns_the_first_and_another_key_is_refused(case):
    from onward.accounts.services import person_account_ensure

    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]))
    with pytest.raises(ValidationError):
        services.checkin_submit(actor=account, checkin=checkin, idempotency_key="k1")  # no answers yet
    services.checkin_answers_save(actor=account, checkin=checkin, answers=GOOD_ANSWERS)
    first = services.checkin_submit(actor=account, checkin=checkin, idempotency_key="k1")
    again = services.checkin_submit(actor=account, checkin=CheckIn.objects.get(pk=checkin.pk), idempotency_key="k1")
    assert (first.pk, first.submitted_at) == (again.pk, again.submitted_at)
    assert again.state == State.SUBMITTED
    assert AuditEvent.objects.filter(action="checkin.submitted").count() == 1
    with pytest.raises(ValidationError):
        services.checkin_submit(actor=account, checkin=checkin, idempotency_key="k2")
    # No face check and no location: it goes to review with its reasons.
    assert first.flagged
    assert "face_missing" in first.flag_reasons
    assert "location_missing" in first.flag_reasons


@pytest.mark.django_db
def test_reminders_before_the_window_ends_use_the_appointment_reminder_mechanism(case, settings):
    settings.CHECKIN_REMINDER_OFFSETS_MINUTES = [24 * 60]
    settings.PUBLIC_BASE_URL = "https://onward.example"
    enrolment = EnrolmentFactory(person=case["person"], window_hours=72)
    checkin, _created = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())

    reminder = Reminder.objects.get(kind="checkin", object_id=checkin.pk)
    quiet = quiet_hours_for(None)
    assert reminder.due_at == reminder_due_at(checkin.closes_at, 24 * 60, quiet)
    assert not quiet.contains(timezone.localtime(reminder.due_at))
    assert reminders_send(now=reminder.due_at - dt.timedelta(minutes=1)) == {"sent": 0, "skipped": 0}

    assert reminders_send(now=reminder.due_at) == {"sent": 1, "skipped": 0}
    assert reminders_send(now=reminder.due_at + dt.timedelta(hours=1)) == {"sent": 0, "skipped": 0}
    message = OutboxMessage.objects.get(idempotency_key=f"checkin-reminder:{reminder.pk}")
    assert (message.channel, message.recipient) == ("sms", case["person"].phone)
    assert "please do your check-in before" in message.body
    assert "https://onward.example/me/link/" in message.body  # the site's public address, one setting
    checkin.refresh_from_db()
    assert checkin.reminded_at == reminder.due_at
    reminder.refresh_from_db()
    assert (reminder.state, reminder.channel) == (ReminderState.SENT, "sms")


@pytest.mark.django_db
def test_no_reminder_once_the_check_in_is_done_or_cancelled(case, settings):
    settings.CHECKIN_REMINDER_OFFSETS_MINUTES = [24 * 60]
    enrolment = EnrolmentFactory(person=case["person"], window_hours=72)
    checkin, _created = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    CheckIn.objects.filter(pk=checkin.pk).update(state=State.SUBMITTED)
    due_at = Reminder.objects.get(kind="checkin", object_id=checkin.pk).due_at

    assert reminders_send(now=due_at) == {"sent": 0, "skipped": 1}
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="checkin-reminder:").exists()
    assert Reminder.objects.get(kind="checkin", object_id=checkin.pk).state == ReminderState.SKIPPED


@pytest.mark.django_db
def test_in_app_only_means_no_text_even_with_a_phone_number(case, settings):
    settings.CHECKIN_REMINDER_OFFSETS_MINUTES = [24 * 60]
    enrolment = EnrolmentFactory(person=case["person"], window_hours=72, contact_preference="in_app")
    assert case["person"].phone
    checkin, _created = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    due_at = Reminder.objects.get(kind="checkin", object_id=checkin.pk).due_at

    assert reminders_send(now=due_at)["sent"] == 1
    message = OutboxMessage.objects.get(idempotency_key__startswith="checkin-reminder:")
    assert message.channel == "in_app"
    assert message.user == case["person"].account


@pytest.mark.django_db
def test_a_reminder_that_would_come_before_the_window_opens_is_not_planned(case, settings):
    settings.CHECKIN_REMINDER_OFFSETS_MINUTES = [48 * 60, 2 * 60]
    enrolment = EnrolmentFactory(person=case["person"], window_hours=24)
    checkin, _created = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    assert list(
        Reminder.objects.filter(kind="checkin", object_id=checkin.pk).values_list("offset_minutes", flat=True)
    ) == [120]


@pytest.mark.django_db
def test_expiry_marks_missed_and_alerts_the_practitioner(case):
    now = timezone.now()
    late = CheckInFactory(
        enrolment=EnrolmentFactory(person=case["person"]),
        opens_at=now - dt.timedelta(hours=80),
        closes_at=now - dt.timedelta(minutes=1),
    )
    assert services.checkins_expire() == {"expired": 1}
    assert services.checkins_expire() == {"expired": 0}
    late.refresh_from_db()
    assert late.state == State.EXPIRED
    assert late.flagged
    alert = OutboxMessage.objects.get(user=case["practitioner"])
    assert alert.channel == "in_app"
    assert "Missed check-in" in alert.subject
    expired = AuditEvent.objects.get(action="checkin.expired", object_id=str(late.pk))
    assert (expired.actor, expired.actor_system) == (None, "checkins_expire")


@pytest.mark.django_db
def test_enrolment_refuses_a_file_that_is_not_a_photo(case):
    details = services.EnrolmentDetails(
        schedule=Schedule.WEEKLY, office_visits="supplements", office_visits_reason="x" * 10
    )
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_save(
            actor=case["practitioner"], person=case["person"], details=details, photo=b"not a photo"
        )
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_the_seeded_questionnaire_speaks_english_and_welsh_with_its_flag_rules():
    from onward.checkins.models import Questionnaire

    questionnaire = Questionnaire.objects.get(active=True)
    mood = questionnaire.questions.get(key="mood")
    assert mood.text("cy").startswith("Sut ydych chi")
    assert ("struggling", "Cael trafferth") in mood.choice_list("cy")
    assert mood.flags("not_great")
    assert not mood.flags("okay")
    help_question = questionnaire.questions.get(key="help")
    assert help_question.flags(["none", "money"])
    assert not help_question.flags(["none"])
    assert questionnaire.questions.get(key="call_back").flags("yes")
