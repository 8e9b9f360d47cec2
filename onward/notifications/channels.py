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

from onward.notifications.models import Channel, OutboxMessage

IN_APP_CHANNEL = "onward.notifications.channels.InAppChannel"
EMAIL_CHANNEL = "onward.notifications.channels.EmailChannel"


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


def _sender_domain() -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "onward.invalid"
