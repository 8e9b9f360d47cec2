"""How long messages sent to people are kept, the texts they sent back, and phones turned off."""

from datetime import datetime, timedelta

from django.conf import settings

from onward.core.retention import retention_rule
from onward.notifications.models import (
    InboundSms,
    OutboxMessage,
    OutboxStatus,
    PushSubscription,
    Reminder,
    ReminderState,
)
from onward.notifications.services import push_subscriptions_prune


@retention_rule("sent_notifications", covers=[OutboxMessage])
def sent_notifications_delete(now: datetime) -> int:
    """Sent or given-up outbox rows older than the period. Waiting ones are never deleted."""
    cutoff = now - timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS)
    finished = OutboxMessage.objects.filter(status__in=[OutboxStatus.SENT, OutboxStatus.FAILED], created_at__lt=cutoff)
    deleted, _counts = finished.delete()
    return deleted


@retention_rule("texts_received", covers=[InboundSms])
def texts_received_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS)
    deleted, _counts = InboundSms.objects.filter(received_at__lt=cutoff).delete()
    return deleted


@retention_rule("push_subscriptions_turned_off", covers=[PushSubscription])
def push_subscriptions_delete(now: datetime) -> int:
    return push_subscriptions_prune(now)["deleted"]


@retention_rule("reminders_done", covers=[Reminder])
def reminders_done_delete(now: datetime) -> int:
    """Reminders sent or not needed, older than the period (what was sent is in the outbox's own rows)."""
    cutoff = now - timedelta(days=settings.RETENTION_NOTIFICATIONS_DAYS)
    done = Reminder.objects.filter(state__in=[ReminderState.SENT, ReminderState.SKIPPED], due_at__lt=cutoff)
    deleted, _counts = done.delete()
    return deleted
