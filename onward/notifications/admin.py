"""The outbox in the admin: read-only, because it is the record of what was sent to whom."""

from django.contrib import admin

from onward.core.admin_mixins import PolicyAdmin, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.notifications.models import OutboxMessage, PushSubscription, Reminder, ReminderPreference


@admin.register(OutboxMessage, site=admin_site)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["=id", "=idempotency_key", "=provider_reference"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "channel",
        "recipient",
        "user",
        "person",
        "subject",
        "body",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "claim_token",
        "last_error",
        "provider_reference",
        "created_at",
        "sent_at",
        "read_at",
    ]


@admin.register(PushSubscription, site=admin_site)
class PushSubscriptionAdmin(ReadOnlyAdmin):
    """Read-only: people turn notifications on and off themselves; the push service's answers revoke."""

    list_display = ["id", "user", "created_at", "last_used_at", "revoked_at", "revoked_reason"]
    list_filter = ["revoked_reason"]
    search_fields = ["=id", "=user__id"]
    # The endpoint and keys are left out: with the VAPID key they are enough to send to the phone.
    fields = ("user", "user_agent", "created_at", "last_used_at", "revoked_at", "revoked_reason")
    readonly_fields = ("user", "user_agent", "created_at", "last_used_at", "revoked_at", "revoked_reason")


@admin.register(Reminder, site=admin_site)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "object_id", "person", "offset_minutes", "due_at", "state", "channel", "sent_at"]
    list_filter = ["kind", "state", "channel"]


@admin.register(ReminderPreference, site=admin_site)
class ReminderPreferenceAdmin(PolicyAdmin):
    list_display = ["person", "channel", "quiet_start", "quiet_end"]
    raw_id_fields = ["person"]
