"""Reads of push subscriptions and of a person's inbox (the in-app notices): a person sees only their own."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from onward.core.permissions import can
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus, PushSubscription


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
