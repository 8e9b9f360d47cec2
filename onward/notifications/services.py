"""Queueing notifications. Delivery lives in delivery.py and runs in the workers."""

from typing import Any

from django.db import IntegrityError, transaction

from onward.notifications.models import Channel, OutboxMessage


def notification_queue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    user: Any = None,
    person: Any = None,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Write a message to the outbox in the caller's transaction; a worker sends it after commit.

    If the caller's transaction rolls back, the message goes with it and nothing is sent.
    The same idempotency key twice gives back the first message instead of a second one.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    if idempotency_key:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                body=body,
                subject=subject,
                user=user,
                person=person,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        # Another transaction queued the same key between our look-up and our insert.
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    # Robust: the caller's change has committed by then; if queueing the task fails, the sweep sends it.
    transaction.on_commit(lambda: _enqueue_delivery(message.pk), robust=True)
    return message


def _enqueue_delivery(message_id: int) -> None:
    from onward.notifications.tasks import deliver_outbox_message

    deliver_outbox_message.enqueue(message_id)
