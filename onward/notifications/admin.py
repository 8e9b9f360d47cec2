"""The outbox in the admin: read-only, because it is the record of what was sent to whom."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.notifications.models import OutboxMessage


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
