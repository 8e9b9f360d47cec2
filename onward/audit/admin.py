from django.contrib import admin

from onward.audit.models import AuditEvent
from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor", "actor_system", "actor_role", "action", "person", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "person__prison_number", "person__crn", "actor__username"]
    list_select_related = ["actor", "person"]
