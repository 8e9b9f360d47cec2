from django.contrib import admin

from onward.alerts.models import Alert, AlertNote
from onward.core.admin_mixins import PolicyInline, ReadOnlyAdmin
from onward.core.admin_site import admin_site

# Read-only: alerts and their decisions are evidence; every change goes through the audited services.


class AlertNoteInline(PolicyInline):
    model = AlertNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author", "text"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Alert, site=admin_site)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "severity", "state", "person", "assigned_to", "escalated_at"]
    list_filter = ["state", "severity", "kind"]
    list_select_related = ["person", "assigned_to"]
    inlines = [AlertNoteInline]
