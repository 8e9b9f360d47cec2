"""Channels: how an outbox message leaves the platform. One small interface, one class per way out.

A channel sends one message and returns the provider's reference for it, or raises to say this
attempt failed (the worker records the error and retries with backoff). Channels are loaded by
dotted path, so a real SMS gateway replaces the embedded log without touching the worker.
"""

from email.utils import make_msgid, parseaddr
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

from onward.notifications.models import Channel, OutboxMessage, PushSubscription

IN_APP_CHANNEL = "onward.notifications.channels.InAppChannel"
EMAIL_CHANNEL = "onward.notifications.channels.EmailChannel"
PUSH_CHANNEL = "onward.notifications.channels.PushChannel"
# The push service says the subscription no longer exists: it is revoked, not retried.
PUSH_GONE_STATUSES = frozenset({404, 410})


class ChannelError(Exception):
    """A channel could not hand the message over. The attempt counts as failed."""


class MessageChannel(Protocol):
    def send(self, message: OutboxMessage) -> str:
        """Hand the message over; return the provider's reference (at most 100 characters)."""
        ...


def channel_for(channel: str) -> MessageChannel:
    """The configured channel object for an outbox message's channel name."""
    paths = {
        Channel.IN_APP: IN_APP_CHANNEL,
        Channel.EMAIL: getattr(settings, "EMAIL_CHANNEL", EMAIL_CHANNEL),
        Channel.SMS: settings.SMS_CHANNEL,
        Channel.PUSH: getattr(settings, "PUSH_CHANNEL", PUSH_CHANNEL),
    }
    try:
        path = paths[Channel(channel)]
    except ValueError as error:
        raise ChannelError(f"Unknown channel {channel!r}") from error
    channel_class = import_string(path)
    instance: MessageChannel = channel_class()
    return instance


class InAppChannel:
    """Nothing to transmit: the message is already in the database, and the person reads it in the app."""

    def send(self, message: OutboxMessage) -> str:
        return f"in-app:{message.pk}"


class EmailChannel:
    """Email through Django's configured EMAIL_BACKEND (SMTP, a file folder, or memory in tests)."""

    def send(self, message: OutboxMessage) -> str:
        message_id = make_msgid(domain=_sender_domain())
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        if email.send(fail_silently=False) != 1:
            raise ChannelError("The email backend accepted no message.")
        return message_id[:100]


class LogSmsChannel:
    """The embedded SMS channel: writes each text to a log file instead of a phone network.

    One line per message: time, recipient and body, tab-separated, line breaks in the body escaped.
    """

    def send(self, message: OutboxMessage) -> str:
        path = Path(settings.SMS_LOG_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = message.body.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
        line = f"{timezone.now().isoformat()}\t{message.recipient}\t{body}\n"
        # One write call in append mode, so lines from several workers do not interleave.
        with path.open("a", encoding="utf-8") as log:
            log.write(line)
        return f"sms-log:{message.pk}"


class PushChannel:
    """Web push (RFC 8030) to every live subscription of the message's account, signed with our VAPID key.

    The payload is encrypted for each browser (aes128gcm), so the push service cannot read it. A
    subscription the push service says has gone (404, 410) is revoked. The message counts as sent when
    at least one phone took it; when none did because of an error, the attempt fails and is retried.
    When push cannot reach the person at all (no keys, no live subscription, every one gone), the same
    words go their next way instead, as a new outbox message.
    """

    def send(self, message: OutboxMessage) -> str:
        from pywebpush import WebPushException, webpush
        from requests import Session

        from onward.notifications.push import push_configured, push_payload
        from onward.notifications.services import push_subscription_gone

        if not push_configured():
            # The keys were taken away after this was queued: the person is told the other way instead.
            return _push_fall_back(
                message, "Web push is not set up (VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY, VAPID_SUBJECT)."
            )
        user_id = _push_user_id(message)
        if user_id is None:
            raise ChannelError("A push message needs the account it is for.")
        subscriptions = list(
            PushSubscription.objects.filter(user_id=user_id, revoked_at__isnull=True).select_related("user__person")
        )
        if not subscriptions:
            return _push_fall_back(message, "The account has no phone that takes notifications.")
        payload = push_payload(message)
        delivered: list[int] = []
        errors: list[str] = []
        with Session() as session:
            for subscription in subscriptions:
                try:
                    webpush(
                        subscription_info={
                            "endpoint": subscription.endpoint,
                            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                        },
                        data=payload,
                        vapid_private_key=settings.VAPID_PRIVATE_KEY,
                        # A new dict each time: pywebpush writes the audience and expiry into it.
                        vapid_claims={"sub": settings.VAPID_SUBJECT},
                        timeout=settings.PUSH_TIMEOUT_SECONDS,
                        ttl=settings.PUSH_TTL_SECONDS,
                        requests_session=session,
                    )
                except WebPushException as error:
                    status = getattr(error.response, "status_code", None)
                    if status in PUSH_GONE_STATUSES:
                        push_subscription_gone(subscription)
                    else:
                        errors.append(f"push service answered {status}")
                    continue
                except Exception as error:  # one phone's failure must not lose the record of those already sent
                    errors.append(type(error).__name__)
                    continue
                delivered.append(subscription.pk)
        if delivered:
            PushSubscription.objects.filter(pk__in=delivered).update(last_used_at=timezone.now())
            return f"push:{message.pk}:{len(delivered)}"
        if errors:
            raise ChannelError("No phone took the notification: " + "; ".join(errors))
        return _push_fall_back(message, "Every phone's subscription has gone.")


def _push_fall_back(message: OutboxMessage, why: str) -> str:
    """Push cannot reach them (`why`): send the same words the person's next way (text, email, in the app)."""
    from onward.notifications.services import contact_for, notification_queue

    person = message.person
    if person is None:
        raise ChannelError(why)
    channel, recipient = contact_for(person, push_ready=False)
    user = getattr(person, "account", None) if channel == Channel.IN_APP else None
    if channel == Channel.IN_APP:
        if user is None:
            raise ChannelError(f"{why} There is no other way to reach them.")
        recipient = str(user.pk)
    queued = notification_queue(
        channel=channel,
        recipient=recipient,
        user=user,
        person=person,
        subject=message.subject,
        body=message.body,
        idempotency_key=f"push-fallback:{message.pk}",
    )
    return f"fallback:{queued.channel}:{queued.pk}"


def _push_user_id(message: OutboxMessage) -> int | None:
    """The account a push message is for: its user, else the account id in the recipient field."""
    if message.user_id is not None:
        return message.user_id
    return int(message.recipient) if message.recipient.isdigit() else None


def _sender_domain() -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "onward.invalid"
