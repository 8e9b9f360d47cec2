"""The sweep: re-enqueue messages whose delivery task was lost, take back those of stopped workers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onward.notifications.delivery import (
    OUTBOX_SENDING_TIMEOUT_SECONDS,
    OUTBOX_SWEEP_GRACE_SECONDS,
    STALE_CLAIM_ERROR,
    Outcome,
    outbox_deliver,
    outbox_sweep,
)
from onward.notifications.models import OutboxMessage, OutboxStatus
from onward.notifications.tests.factories import OutboxMessageFactory


def _enqueued_ids() -> list[int]:
    return sorted(task.args_kwargs["args"][0] for task in DBTaskResult.objects.all())


@pytest.mark.django_db
def test_sweep_enqueues_overdue_pending_messages_only():
    now = timezone.now()
    overdue = OutboxMessageFactory(next_attempt_at=now - timedelta(hours=1))
    OutboxMessageFactory(next_attempt_at=now)  # just queued: its own task is on the way
    OutboxMessageFactory(next_attempt_at=now + timedelta(minutes=5))  # waiting for its retry
    OutboxMessageFactory(status=OutboxStatus.SENT, next_attempt_at=now - timedelta(days=1))
    OutboxMessageFactory(status=OutboxStatus.FAILED, next_attempt_at=now - timedelta(days=1))
    assert outbox_sweep(now=now) == {"enqueued": 1, "reclaimed": 0, "failed": 0}
    assert _enqueued_ids() == [overdue.pk]
    assert OutboxMessage.objects.get(pk=overdue.pk).next_attempt_at == now


@pytest.mark.django_db
def test_the_next_sweep_leaves_a_message_it_just_enqueued_to_that_task():
    now = timezone.now()
    OutboxMessageFactory(next_attempt_at=now - timedelta(hours=1))
    outbox_sweep(now=now)
    assert outbox_sweep(now=now + timedelta(seconds=60))["enqueued"] == 0
    assert outbox_sweep(now=now + timedelta(seconds=OUTBOX_SWEEP_GRACE_SECONDS))["enqueued"] == 1


@pytest.mark.django_db
def test_sweep_takes_back_a_message_stuck_in_sending_and_it_is_then_delivered(counting_channel):
    now = timezone.now()
    stale_claim = now - timedelta(seconds=OUTBOX_SENDING_TIMEOUT_SECONDS + 1)
    stuck = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=stale_claim, claim_token="dead", attempts=1)
    busy = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=now - timedelta(seconds=10), attempts=1)
    assert outbox_sweep(now=now) == {"enqueued": 1, "reclaimed": 1, "failed": 0}
    stuck.refresh_from_db()
    assert stuck.status == OutboxStatus.PENDING
    assert stuck.claim_token == ""
    assert stuck.last_error == STALE_CLAIM_ERROR
    assert OutboxMessage.objects.get(pk=busy.pk).status == OutboxStatus.SENDING
    assert _enqueued_ids() == [stuck.pk]
    assert outbox_deliver(stuck.pk, now=now) == Outcome.SENT
    stuck.refresh_from_db()
    assert stuck.attempts == 2
    assert stuck.last_error == ""
    assert counting_channel.sent == [stuck.pk]


@pytest.mark.django_db
def test_a_stuck_message_out_of_attempts_fails_for_good(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    now = timezone.now()
    stale_claim = now - timedelta(seconds=OUTBOX_SENDING_TIMEOUT_SECONDS + 1)
    stuck = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=stale_claim, attempts=3)
    assert outbox_sweep(now=now) == {"enqueued": 0, "reclaimed": 0, "failed": 1}
    assert OutboxMessage.objects.get(pk=stuck.pk).status == OutboxStatus.FAILED
    assert not DBTaskResult.objects.exists()


def _sweep_queries_other_than_enqueues(count: int) -> list[str]:
    now = timezone.now()
    OutboxMessage.objects.all().delete()
    DBTaskResult.objects.all().delete()
    stale_claim = now - timedelta(seconds=OUTBOX_SENDING_TIMEOUT_SECONDS + 1)
    OutboxMessageFactory.create_batch(count, next_attempt_at=now - timedelta(hours=1))
    OutboxMessageFactory.create_batch(count, status=OutboxStatus.SENDING, claimed_at=stale_claim, attempts=1)
    with CaptureQueriesContext(connection) as queries:
        result = outbox_sweep(now=now)
    assert result["enqueued"] == 2 * count
    enqueue = f'INSERT INTO "{DBTaskResult._meta.db_table}"'
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(enqueue)]


@pytest.mark.django_db
def test_sweep_reads_and_updates_the_batch_in_a_fixed_number_of_queries():
    assert len(_sweep_queries_other_than_enqueues(2)) == len(_sweep_queries_other_than_enqueues(25))
