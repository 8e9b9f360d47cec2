"""Reads of push subscriptions and of a person's inbox (the in-app notices): a person sees only their own."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, require
from onward.notifications.masking import secrets_masked
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus, PushSubscription

SMS_LOG_SIZE = 100


@dataclass(frozen=True)
class SentText:
    """One line of the text message log: codes and links hidden, how delivery went shown."""

    created_at: datetime
    recipient: str
    body: str
    status: str
    delivery_status: str


def sms_log_list(actor: Any) -> list[SentText]:
    """The newest text messages, for an administrator, with codes and links hidden. Every look is audited."""
    require(actor, "admin.site")
    rows = list(
        OutboxMessage.objects.filter(channel=Channel.SMS)
        .order_by("-created_at")
        .only("created_at", "recipient", "body", "status", "delivery_status")[:SMS_LOG_SIZE]
    )
    audit_record(
        actor=actor,
        role="administrator",
        action=AuditAction.NOTIFICATIONS_SMS_LOG_VIEWED,
        data={"shown": len(rows)},
    )
    return [
        SentText(
            created_at=row.created_at,
            recipient=row.recipient,
            body=secrets_masked(row.body),
            status=row.get_status_display(),
            delivery_status=row.delivery_status,
        )
        for row in rows
    ]


def push_subscriptions_live(user: Any) -> QuerySet[PushSubscription]:
    """This person's phones and browsers that get notifications, newest first."""
    if not can(user, "notifications.push"):
        return PushSubscription.objects.none()
    return PushSubscription.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def push_subscription_get(user: Any, subscription_id: int) -> PushSubscription:
    """One of this person's own subscriptions; someone else's is not found, the same as one that does not exist."""
    subscription = PushSubscription.objects.filter(pk=subscription_id, user_id=user.pk).first()
    if subscription is None or not can(user, "notifications.push", subscription):
        raise Http404
    return subscription


def inbox_for(user: Any) -> QuerySet[OutboxMessage]:
    """The person's in-app notices, newest first (a failed one was never delivered, so it is not shown)."""
    if not can(user, "notifications.inbox"):
        return OutboxMessage.objects.none()
    return (
        OutboxMessage.objects.filter(channel=Channel.IN_APP, user_id=user.pk)
        .exclude(status=OutboxStatus.FAILED)
        .order_by("-created_at", "-pk")
    )


def inbox_unread(user: Any) -> QuerySet[OutboxMessage]:
    return inbox_for(user).filter(read_at__isnull=True)
