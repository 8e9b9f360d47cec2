"""The outbox in the admin: read-only, because it is the record of what was sent to whom."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.notifications.models import OutboxMessage, PushSubscription


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
