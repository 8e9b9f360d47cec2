"""Delivering one outbox message: claim, send, record; retries with backoff; never twice."""

import logging
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onward.notifications.delivery import (
    OUTBOX_BACKOFF_MAX_SECONDS,
    STALE_CLAIM_ERROR,
    Outcome,
    outbox_backoff_seconds,
    outbox_deliver,
)
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus
from onward.notifications.tests.factories import OutboxMessageFactory

DELIVER_TASK = "onward.notifications.tasks.deliver_outbox_message"


def _reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


# --- Channels ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_email_lands_in_the_mail_outbox_with_its_message_id_as_reference(settings):
    settings.DEFAULT_FROM_EMAIL = "Onward <no-reply@onward.example>"
    message = OutboxMessageFactory(
        channel=Channel.EMAIL, recipient="sam@example.com", subject="Your sign-in code", body="It is 123456."
    )
    assert outbox_deliver(message.pk) == Outcome.SENT
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.com"]
    assert email.subject == "Your sign-in code"
    assert email.body == "It is 123456."
    assert email.from_email == "Onward <no-reply@onward.example>"
    message = _reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.provider_reference == email.extra_headers["Message-ID"]
    assert message.provider_reference.endswith("@onward.example>")


@pytest.mark.django_db
def test_sms_is_written_to_the_log_file_creating_its_folder(sms_log_path):
    assert not sms_log_path.parent.exists()
    message = OutboxMessageFactory(channel=Channel.SMS, recipient="07700900555", body="Line one\nline two")
    assert outbox_deliver(message.pk) == Outcome.SENT
    lines = sms_log_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1, "a body's line break must not start a new log line"
    when, recipient, body = lines[0].split("\t")
    assert datetime.fromisoformat(when).tzinfo is not None
    assert recipient == "07700900555"
    assert body == "Line one\\nline two"
    assert _reload(message).provider_reference == f"sms-log:{message.pk}"


@pytest.mark.django_db
def test_sms_log_appends(sms_log_path):
    for number in ("07700900001", "07700900002"):
        outbox_deliver(OutboxMessageFactory(recipient=number).pk)
    lines = sms_log_path.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1] for line in lines] == ["07700900001", "07700900002"]


@pytest.mark.django_db
def test_in_app_message_is_marked_delivered_without_transmitting(sms_log_path):
    message = OutboxMessageFactory(channel=Channel.IN_APP, recipient="42", body="New case on your caseload.")
    assert outbox_deliver(message.pk) == Outcome.SENT
    message = _reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.provider_reference == f"in-app:{message.pk}"
    assert message.read_at is None
    assert mail.outbox == []
    assert not sms_log_path.exists()


@pytest.mark.django_db
def test_sms_channel_is_loaded_from_settings(counting_channel):
    message = OutboxMessageFactory(channel=Channel.SMS)
    outbox_deliver(message.pk)
    assert counting_channel.sent == [message.pk]
    assert _reload(message).provider_reference == f"counted:{message.pk}"


@pytest.mark.django_db
def test_a_channel_that_cannot_be_loaded_is_a_failed_attempt(settings):
    settings.SMS_CHANNEL = "onward.notifications.channels.NoSuchChannel"
    message = OutboxMessageFactory()
    assert outbox_deliver(message.pk) == Outcome.RETRY
    assert "NoSuchChannel" in _reload(message).last_error


@pytest.mark.django_db
def test_email_backend_error_is_recorded_and_not_logged_with_personal_data(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2
    message = OutboxMessageFactory(channel=Channel.EMAIL, recipient="sam@example.com", body="Secret code 999111")
    with caplog.at_level(logging.DEBUG, logger="onward"):
        assert outbox_deliver(message.pk) == Outcome.RETRY
    message = _reload(message)
    assert message.status == OutboxStatus.PENDING
    assert message.last_error.startswith(("ConnectionRefusedError", "OSError", "TimeoutError"))
    assert str(message.pk) in caplog.text
    assert "sam@example.com" not in caplog.text
    assert "999111" not in caplog.text


# --- Retries and backoff ----------------------------------------------------------------------


def test_backoff_doubles_from_the_base_and_is_capped(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 30
    assert [outbox_backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox_backoff_seconds(30) == OUTBOX_BACKOFF_MAX_SECONDS


@pytest.mark.django_db
def test_failed_attempts_back_off_then_fail_for_good(settings, failing_channel, caplog):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 30
    settings.OUTBOX_MAX_ATTEMPTS = 4
    start = timezone.now()
    message = OutboxMessageFactory(recipient="07700900777", next_attempt_at=start)
    at = start
    for attempt, wait in [(1, 30), (2, 60), (3, 120)]:
        assert outbox_deliver(message.pk, now=at) == Outcome.RETRY
        message = _reload(message)
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == attempt
        assert message.next_attempt_at == at + timedelta(seconds=wait)
        assert message.last_error == "GatewayDown: gateway refused 07700900777"
        assert message.claim_token == ""
        # Not due a second early: a duplicate task that runs now does nothing.
        early = message.next_attempt_at - timedelta(seconds=1)
        assert outbox_deliver(message.pk, now=early) == Outcome.SKIPPED
        assert _reload(message).attempts == attempt
        at = message.next_attempt_at
    with caplog.at_level(logging.INFO, logger="onward"):
        assert outbox_deliver(message.pk, now=at) == Outcome.FAILED
    message = _reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 4
    assert message.sent_at is None
    assert failing_channel.calls == 4
    assert outbox_deliver(message.pk, now=at + timedelta(days=1)) == Outcome.SKIPPED
    assert failing_channel.calls == 4, "a message that failed for good is not tried again"
    assert "07700900777" not in caplog.text


@pytest.mark.django_db
def test_each_retry_is_enqueued_for_when_it_is_due(settings, failing_channel):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 30
    message = OutboxMessageFactory()
    outbox_deliver(message.pk)
    retry = DBTaskResult.objects.get()
    assert retry.task_path == DELIVER_TASK
    assert retry.args_kwargs["args"] == [message.pk]
    assert retry.run_after == _reload(message).next_attempt_at


@pytest.mark.django_db
def test_a_retry_that_works_clears_the_error(failing_channel):
    failing_channel.reset(failures=1)
    message = OutboxMessageFactory()
    assert outbox_deliver(message.pk) == Outcome.RETRY
    later = _reload(message).next_attempt_at
    assert outbox_deliver(message.pk, now=later) == Outcome.SENT
    message = _reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.provider_reference == "gateway-ref-1"


# --- Never twice ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivering_twice_sends_once(counting_channel):
    message = OutboxMessageFactory()
    assert outbox_deliver(message.pk) == Outcome.SENT
    assert outbox_deliver(message.pk) == Outcome.SKIPPED
    assert outbox_deliver(message.pk, now=timezone.now() + timedelta(days=30)) == Outcome.SKIPPED
    assert counting_channel.sent == [message.pk]
    assert _reload(message).attempts == 1


@pytest.mark.django_db
def test_a_message_another_worker_is_sending_is_left_alone(counting_channel):
    message = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=timezone.now(), claim_token="other")
    assert outbox_deliver(message.pk) == Outcome.SKIPPED
    assert counting_channel.sent == []


@pytest.mark.django_db
def test_a_missing_message_is_skipped():
    assert outbox_deliver(987654321) == Outcome.SKIPPED


@pytest.mark.django_db
def test_a_slow_send_whose_claim_was_taken_back_is_still_recorded_as_sent(counting_channel):
    def sweep_takes_it_back(message: OutboxMessage) -> None:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.PENDING, claim_token="", last_error=STALE_CLAIM_ERROR
        )

    counting_channel.during_send = sweep_takes_it_back
    message = OutboxMessageFactory()
    assert outbox_deliver(message.pk) == Outcome.SENT
    assert _reload(message).status == OutboxStatus.SENT
    counting_channel.during_send = None
    assert outbox_deliver(message.pk) == Outcome.SKIPPED
    assert counting_channel.sent == [message.pk]


@pytest.mark.django_db
def test_a_slow_send_does_not_overwrite_another_workers_claim(counting_channel):
    def another_worker_claims_it(message: OutboxMessage) -> None:
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING, claim_token="other")

    counting_channel.during_send = another_worker_claims_it
    message = OutboxMessageFactory()
    outbox_deliver(message.pk)
    message = _reload(message)
    assert message.status == OutboxStatus.SENDING
    assert message.claim_token == "other"
