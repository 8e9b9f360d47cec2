"""The outbox in the admin: read-only, because it is the record of what was sent to whom.

Codes and links in messages are hidden (they would let the reader sign in as the person), and every look at
the list or at one message is audited.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from onward.audit.services import audit_record
from onward.core.admin_mixins import PolicyAdmin, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.notifications.masking import secrets_masked
from onward.notifications.models import OutboxMessage, PushSubscription, Reminder, ReminderPreference


@admin.register(OutboxMessage, site=admin_site)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "status", "delivery_status", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["=id", "=idempotency_key", "=provider_reference"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "channel",
        "recipient",
        "user",
        "person",
        "subject_hidden",
        "body_hidden",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "claim_token",
        "last_error",
        "provider_reference",
        "delivery_status",
        "delivery_status_at",
        "created_at",
        "sent_at",
        "read_at",
    ]
    exclude = ["subject", "body"]

    @admin.display(description="Subject (codes and links hidden)")
    def subject_hidden(self, obj: OutboxMessage) -> str:
        return secrets_masked(obj.subject)

    @admin.display(description="Message (codes and links hidden)")
    def body_hidden(self, obj: OutboxMessage) -> str:
        return secrets_masked(obj.body)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_record(actor=request.user, role="administrator", action=AuditAction.NOTIFICATIONS_OUTBOX_VIEWED)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit_record(
                actor=request.user,
                role="administrator",
                action=AuditAction.NOTIFICATIONS_OUTBOX_VIEWED,
                data={"message": object_id},
            )
        return response


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
