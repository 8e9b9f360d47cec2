"""Delivery of outbox messages: claim one, send it through its channel, record what happened.

A message is claimed with one compare-and-swap UPDATE (pending and due -> sending), so of two
workers given the same message only one sends it; a sent message is never claimed again. A failed
attempt goes back to pending with exponential backoff until OUTBOX_MAX_ATTEMPTS, then fails for
good. A worker that dies mid-send leaves the message in "sending": the sweep takes it back after
OUTBOX_SENDING_TIMEOUT_SECONDS, and that attempt counts. The one double send no outbox can rule
out: a worker that was only slow, had handed the message over, and lost its claim to a second
worker that sent it again; the timeout is far above any channel's own timeout to make that rare.

Logs carry message ids and error class names only: recipients, bodies and provider error texts
(which may quote an address) stay in the database.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from onward.notifications.channels import MessageChannel, channel_for
from onward.notifications.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

OUTBOX_BACKOFF_MAX_SECONDS = 6 * 60 * 60
OUTBOX_SENDING_TIMEOUT_SECONDS = 15 * 60
# The sweep leaves a due message alone this long: its own delivery task is probably still queued.
OUTBOX_SWEEP_GRACE_SECONDS = 2 * 60
OUTBOX_SWEEP_BATCH_SIZE = 500
ERROR_TEXT_MAX_CHARS = 2000
STALE_CLAIM_ERROR = "The worker sending this message stopped before it finished."


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # someone else has it, it is not due yet, or it is already done


def outbox_deliver(message_id: int, *, now: datetime | None = None) -> str:
    """Send one outbox message at most once per claim. Returns what happened (an `Outcome`).

    Run it outside a transaction (workers do), so that the claim is visible to other workers at once.
    """
    at = now or timezone.now()
    token = secrets.token_hex(16)
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=at).update(
        status=OutboxStatus.SENDING, claimed_at=at, claim_token=token, attempts=F("attempts") + 1
    )
    if not claimed:
        return Outcome.SKIPPED
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        reference = channel_for(message.channel).send(message)
    except Exception as error:  # any failure of a channel is a failed attempt, recorded and retried
        return _attempt_failed(message, token, error, now)
    # Also when the sweep took the message back meanwhile but nobody has tried it since: it did go.
    taken_back = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], last_error=STALE_CLAIM_ERROR)
    finished = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(Q(status=OutboxStatus.SENDING, claim_token=token) | taken_back)
        .update(
            status=OutboxStatus.SENT,
            sent_at=now or timezone.now(),
            provider_reference=str(reference)[:100],
            last_error="",
            claim_token="",
        )
    )
    if not finished:
        logger.warning("Outbox message %s was sent after another worker had claimed it", message_id)
    logger.info("Outbox message %s sent (attempt %s)", message_id, message.attempts)
    return Outcome.SENT


def outbox_backoff_seconds(attempts: int) -> int:
    """How long to wait after the given number of failed attempts: doubling from the base, capped."""
    base = int(settings.OUTBOX_BACKOFF_BASE_SECONDS)
    return int(min(base * 2 ** max(attempts - 1, 0), OUTBOX_BACKOFF_MAX_SECONDS))


def outbox_sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-enqueue overdue pending messages and take back messages stuck in "sending".

    A safety net for lost delivery tasks and crashed workers, run by the scheduler every minute.
    One query finds the batch; a few bulk UPDATEs change it; then one delivery task per message.
    """
    from onward.notifications.tasks import deliver_outbox_message

    at = now or timezone.now()
    stale_before = at - timedelta(seconds=OUTBOX_SENDING_TIMEOUT_SECONDS)
    overdue_before = at - timedelta(seconds=OUTBOX_SWEEP_GRACE_SECONDS)
    stale = Q(status=OutboxStatus.SENDING, claimed_at__lt=stale_before)
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.filter(Q(status=OutboxStatus.PENDING, next_attempt_at__lte=overdue_before) | stale)
            .order_by("next_attempt_at")
            .values_list("pk", "status", "attempts")[:OUTBOX_SWEEP_BATCH_SIZE]
        )
        overdue = [pk for pk, status, _ in batch if status == OutboxStatus.PENDING]
        spent = [pk for pk, status, attempts in batch if status == OutboxStatus.SENDING and attempts >= _max_attempts()]
        stuck = [pk for pk, status, _ in batch if status == OutboxStatus.SENDING and pk not in spent]
        failed = 0
        if spent:
            failed = OutboxMessage.objects.filter(stale, pk__in=spent).update(
                status=OutboxStatus.FAILED, claim_token="", last_error=STALE_CLAIM_ERROR
            )
        reclaimed = 0
        if stuck:
            reclaimed = OutboxMessage.objects.filter(stale, pk__in=stuck).update(
                status=OutboxStatus.PENDING, claim_token="", next_attempt_at=at, last_error=STALE_CLAIM_ERROR
            )
        if overdue:
            # Due again from now, so the next sweeps leave it to the task enqueued here for a while.
            OutboxMessage.objects.filter(pk__in=overdue, status=OutboxStatus.PENDING).update(next_attempt_at=at)
        to_deliver = [*overdue, *stuck]
        for message_id in to_deliver:
            deliver_outbox_message.enqueue(message_id)
    if batch:
        logger.info(
            "Outbox sweep: %s enqueued, %s taken back from stopped workers, %s failed for good",
            len(to_deliver),
            reclaimed,
            failed,
        )
    return {"enqueued": len(to_deliver), "reclaimed": reclaimed, "failed": failed}


def _attempt_failed(message: OutboxMessage, token: str, error: Exception, now: datetime | None) -> str:
    at = now or timezone.now()
    error_text = f"{type(error).__name__}: {error}"[:ERROR_TEXT_MAX_CHARS]
    if message.attempts >= _max_attempts():
        _held(message.pk, token).update(status=OutboxStatus.FAILED, last_error=error_text, claim_token="")
        logger.warning(
            "Outbox message %s failed for good after %s attempts (%s)",
            message.pk,
            message.attempts,
            type(error).__name__,
        )
        return Outcome.FAILED
    retry_at = at + timedelta(seconds=outbox_backoff_seconds(message.attempts))
    released = _held(message.pk, token).update(
        status=OutboxStatus.PENDING, next_attempt_at=retry_at, last_error=error_text, claim_token=""
    )
    logger.warning(
        "Outbox message %s attempt %s failed (%s); next try at %s",
        message.pk,
        message.attempts,
        type(error).__name__,
        retry_at.isoformat(),
    )
    if released:
        _retry_enqueue(message.pk, retry_at)
    return Outcome.RETRY


def _retry_enqueue(message_id: int, retry_at: datetime) -> None:
    """Queue the next attempt for when it is due; without a deferring backend the sweep picks it up."""
    from onward.notifications.tasks import deliver_outbox_message

    if not deliver_outbox_message.get_backend().supports_defer:
        return
    try:
        deliver_outbox_message.using(run_after=retry_at).enqueue(message_id)
    except Exception:  # the message is safely pending; the sweep will enqueue it instead
        logger.exception("Could not enqueue the retry of outbox message %s", message_id)


def _held(message_id: int, token: str) -> QuerySet[OutboxMessage]:
    """The message, only while this worker's claim on it still stands."""
    return OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING, claim_token=token)


def _max_attempts() -> int:
    return int(settings.OUTBOX_MAX_ATTEMPTS)


def outbox_deliver_many(message_ids: list[int], *, now: datetime | None = None) -> dict[str, int]:
    """Send a batch of due messages (reminders) with a fixed number of queries for the whole batch.

    One UPDATE claims them all under one token, one SELECT loads them, each goes through its channel,
    and one UPDATE (plus one executemany for the references) records the sent ones; a failed one goes
    through the usual retry path.
    """
    at = now or timezone.now()
    token = secrets.token_hex(16)
    if not message_ids:
        return {"sent": 0, "failed": 0}
    OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.PENDING, next_attempt_at__lte=at).update(
        status=OutboxStatus.SENDING, claimed_at=at, claim_token=token, attempts=F("attempts") + 1
    )
    messages = list(OutboxMessage.objects.filter(pk__in=message_ids, claim_token=token, status=OutboxStatus.SENDING))
    channels: dict[str, MessageChannel] = {}
    done: list[tuple[str, int]] = []
    failed = 0
    for message in messages:
        try:
            if message.channel not in channels:
                channels[message.channel] = channel_for(message.channel)
            reference = channels[message.channel].send(message)
        except Exception as error:  # recorded and retried like a single delivery
            _attempt_failed(message, token, error, now)
            failed += 1
            continue
        done.append((str(reference)[:100], message.pk))
    if done:
        # One UPDATE for what all share, one executemany for each message's own reference.
        OutboxMessage.objects.filter(pk__in=[pk for _, pk in done], claim_token=token).update(
            status=OutboxStatus.SENT, sent_at=now or timezone.now(), last_error="", claim_token=""
        )
        table = connection.ops.quote_name(OutboxMessage._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET provider_reference = %s WHERE id = %s", done)  # noqa: S608
    logger.info("Outbox batch: %s sent, %s failed this attempt", len(done), failed)
    return {"sent": len(done), "failed": failed}
