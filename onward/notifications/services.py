"""Queueing notifications, and push subscriptions. Delivery lives in delivery.py and runs in the workers."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.notifications.models import Channel, OutboxMessage, PushSubscription, ReminderPreference
from onward.notifications.push import push_configured, push_reachable, push_subscription_problems

PUSH_REVOKED_KEEP_DAYS = 30


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


def person_notify(person: Any, *, subject: str, body: str, key: str) -> str:
    """Tell a person through their preferred channel, the other one without an address, else in the app.

    Returns the channel used ("" when only the app was left and the person has no account yet).
    """
    channel, recipient = contact_for(person)
    user = getattr(person, "account", None) if channel in ("in_app", "push") else None
    if channel == "in_app" and user is None:
        return ""
    notification_queue(
        channel=channel,
        recipient=recipient or str(getattr(user, "pk", "")),
        user=user,
        person=person,
        subject=subject,
        body=body,
        idempotency_key=key[:100],
    )
    return channel


def contact_for(person: Any, preferred: str | None = None, *, push_ready: bool | None = None) -> tuple[str, str]:
    """(channel, address): the preferred channel if the person can be reached by it, else the other, else in-app.

    Push reaches a person when web push is set up and their account has a live subscription; its address
    is the account id. `push_ready` says so when the caller already knows (a batch looks it up once).
    Text and email fall back to each other, then to push, then to in-app. An unchecked phone or email is
    never used.
    """
    if preferred is None:
        pref = _preference_of(person)
        preferred = pref.channel if pref is not None else settings.APPOINTMENT_DEFAULT_CHANNEL
    # Only contacts shown to be the person's (a code sent to them, or checked in person).
    addresses = {
        "sms": person.phone.strip() if person.phone_verified_at is not None else "",
        "email": person.email.strip() if person.email_verified_at is not None else "",
    }
    if preferred == "push":
        order = ["push", "sms", "email"]
    else:
        order = [preferred, "email" if preferred == "sms" else "sms", "push"]
    for channel in order:
        if channel == "push":
            account = getattr(person, "account", None)
            if account is not None and (push_reachable(account) if push_ready is None else push_ready):
                return "push", str(account.pk)
        elif addresses.get(channel):
            return channel, addresses[channel]
    return "in_app", ""


def _preference_of(person: Any) -> ReminderPreference | None:
    try:
        return person.reminder_preference
    except ReminderPreference.DoesNotExist:
        return None


def _enqueue_delivery(message_id: int) -> None:
    from onward.notifications.tasks import deliver_outbox_message

    deliver_outbox_message.enqueue(message_id)


def push_subscription_add(
    *, actor: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """A person turns on notifications for this phone or browser. Sending the same one again renews it.

    A browser has one endpoint whoever uses it: on a shared phone the last person to turn notifications
    on gets them, and the one before stops getting them there.
    """
    require(actor, "notifications.push")
    if not push_configured():
        raise ValidationError(_("Notifications on your phone are not available."))
    endpoint, p256dh, auth = endpoint.strip(), p256dh.strip(), auth.strip()
    problems = push_subscription_problems(endpoint, p256dh, auth)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        record = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        taken_over = record is not None and record.user_id != actor.pk
        renewed = record is not None and not taken_over and record.revoked_at is None
        if record is None:
            record = PushSubscription(endpoint=endpoint)
        record.user = actor
        record.p256dh = p256dh
        record.auth = auth
        record.user_agent = user_agent.strip()[:200]
        record.revoked_at = None
        record.revoked_reason = ""
        if not renewed:
            record.created_at = timezone.now()
        record.save()
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.NOTIFICATIONS_PUSH_SUBSCRIBED,
            person=actor.person,
            target=record,
            data={"renewed": renewed, "taken_over": taken_over},
        )
    return record


def push_subscription_remove(*, actor: Any, subscription: PushSubscription) -> PushSubscription:
    """A person turns notifications off for one phone or browser. Turning off twice is not an error."""
    require(actor, "notifications.push", subscription)
    with transaction.atomic():
        locked = PushSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_reason = "person"
            locked.save(update_fields=["revoked_at", "revoked_reason"])
            audit_record(
                actor=actor,
                role="person",
                action=AuditAction.NOTIFICATIONS_PUSH_UNSUBSCRIBED,
                person=actor.person,
                target=locked,
            )
    return locked


# The system as the outbox's delivery (the deliver_outbox_message task and the outbox_sweep job).
DELIVERY_ACTOR = SystemActor("outbox_deliver")


def push_subscription_gone(subscription: PushSubscription) -> None:
    """The push service says this subscription no longer exists (404 or 410): stop sending to it."""
    with transaction.atomic():
        revoked = PushSubscription.objects.filter(pk=subscription.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="gone"
        )
        if revoked:
            audit_record(
                actor=DELIVERY_ACTOR,
                action=AuditAction.NOTIFICATIONS_PUSH_GONE,
                person=getattr(subscription.user, "person", None),
                target=subscription,
            )


def push_subscriptions_prune(now: datetime | None = None) -> dict[str, int]:
    """Retention: delete subscriptions turned off or gone more than PUSH_REVOKED_KEEP_DAYS ago.

    Their keys are of no more use; the audit trail keeps who turned what on and off, and when.
    """
    cutoff = (now or timezone.now()) - timedelta(days=PUSH_REVOKED_KEEP_DAYS)
    deleted, _ = PushSubscription.objects.filter(revoked_at__lt=cutoff).delete()
    return {"deleted": deleted}
