"""The outbox in the admin: read-only, because it is the record of what was sent to whom."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onward.core.admin_site import admin_site
from onward.notifications.models import OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by whoever the policy lets into the admin (not Django's per-model permissions); changed by nobody."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
