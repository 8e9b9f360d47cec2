"""The notifications outbox: rows written with the change that causes them, delivered by workers."""

from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    PUSH = "push", _("Notification on your phone")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")


class OutboxMessage(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text=_("Phone number, email address or user id."))
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that claimed the message; its outcome is written only while it still holds it.
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text=_("In-app messages: when the person read it."))
    # What the provider last said about delivery (a GOV.UK Notify callback: delivered, permanent-failure…).
    delivery_status = models.CharField(max_length=40, blank=True)
    delivery_status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class InboundSms(models.Model):
    """A text message a person sent back (a reply to a reminder), matched to them by phone number."""

    provider_id = models.CharField(max_length=100, unique=True)
    source_number = models.CharField(max_length=30)
    body = models.TextField()
    received_at = models.DateTimeField()
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the reply was taken to mean ("confirm", "rearrange", or "" when it was not understood).
    understood_as = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]


class PushSubscription(models.Model):
    """One browser or installed web app that may be sent notifications (the Push API's subscription).

    The endpoint is the push service's address for that browser; the keys encrypt what we send, so
    the push service cannot read it. A subscription the push service says has gone is revoked.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=100, help_text=_("The browser's public key (base64url)."))
    auth = models.CharField(max_length=50, help_text=_("The browser's authentication secret (base64url)."))
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Why it stopped: "person" (turned off), "gone" (the push service said so), "supervision_ended".
    revoked_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class ReminderChannel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    PUSH = "push", _("Notification on your phone")


class ReminderPreference(models.Model):
    """How one person wants to be reminded. Without a row, the settings' defaults apply."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="reminder_preference")
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices, default=ReminderChannel.SMS)
    # Minutes before the start; empty means the defaults of the reminder kind.
    offsets_minutes = models.JSONField(default=list, blank=True)
    # {"drug_test": [120], ...}: this person's offsets for one sort of thing (an appointment's kind).
    offsets_by_kind = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField(default=time(21, 0))
    quiet_end = models.TimeField(default=time(8, 0))
    updated_at = models.DateTimeField(auto_now=True)


class ReminderState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent (no longer due)")


class Reminder(models.Model):
    """One reminder of one thing (an appointment, a check-in window…) at one offset before its time.

    `kind` names a reminder kind that another app registered (onward.notifications.reminders), and
    `object_id` the thing in that app's table; the kind says when it is due and whether it still is.
    The unique triple makes each reminder exactly once.
    """

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reminders")
    offset_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ReminderState.choices, default=ReminderState.PLANNED)
    claim_token = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "offset_minutes"], name="notification_reminder_once")
        ]
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["kind", "object_id"])]
