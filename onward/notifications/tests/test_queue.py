"""Writing to the outbox: in the caller's transaction, once per idempotency key."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from onward.notifications.models import Channel, OutboxMessage, OutboxStatus
from onward.notifications.services import notification_queue

DELIVER_TASK = "onward.notifications.tasks.deliver_outbox_message"


def _queue(**overrides: str) -> OutboxMessage:
    fields = {"channel": Channel.SMS, "recipient": "07700900123", "body": "Your appointment is at 10:00."}
    return notification_queue(**{**fields, **overrides})


@pytest.mark.django_db
def test_queue_writes_a_pending_row_and_enqueues_delivery_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _queue()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert not DBTaskResult.objects.exists(), "delivery must not be enqueued before the change commits"
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.task_path == DELIVER_TASK
    assert task.queue_name == "notifications"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


@pytest.mark.django_db
def test_no_row_and_no_delivery_when_the_surrounding_transaction_rolls_back(django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            _queue()
            raise RuntimeError("the change that caused the message failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboxMessage.objects.exists()
    assert callbacks == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_same_idempotency_key_returns_the_same_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _queue(idempotency_key="release:1:2026-01-05")
        second = _queue(idempotency_key="release:1:2026-01-05", body="A different body")
    assert second.pk == first.pk
    assert second.body == first.body
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1, "the second call must not enqueue a second delivery"


@pytest.mark.django_db
def test_different_idempotency_keys_give_different_rows():
    assert _queue(idempotency_key="a").pk != _queue(idempotency_key="b").pk
    assert _queue().pk != _queue().pk, "no key: every call is a new message"


@pytest.mark.django_db
def test_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="pigeon"):
        _queue(channel="pigeon")
