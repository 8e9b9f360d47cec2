"""The plan in the admin, read-only: it changes through its services, which audit every change."""

from django.contrib import admin

from onward.core.admin_mixins import AuditedAdmin, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.resettlement.models import (
    Application,
    Assessment,
    Department,
    Document,
    Need,
    PlanAction,
    PlanEvent,
    PrisonRequest,
    RequestType,
)


@admin.register(Assessment, site=admin_site)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "number", "kind", "assessed_at"]


@admin.register(Need, site=admin_site)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ["person", "code", "status", "owner", "updated_at"]
    list_filter = ["pathway", "status"]


@admin.register(PlanAction, site=admin_site)
class PlanActionAdmin(ReadOnlyAdmin):
    list_display = ["person", "text", "owner", "due_on", "done_at"]


@admin.register(PlanEvent, site=admin_site)
class PlanEventAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "at"]


# Routing is data per prison: administrators add departments and say where each kind of request goes.


@admin.register(Department, site=admin_site)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "prison", "active"]
    list_filter = ["prison"]
    audit_added = AuditAction.ADMIN_DEPARTMENT_ADDED
    audit_changed = AuditAction.ADMIN_DEPARTMENT_CHANGED
    audit_deleted = AuditAction.ADMIN_DEPARTMENT_DELETED


@admin.register(RequestType, site=admin_site)
class RequestTypeAdmin(AuditedAdmin):
    list_display = ["prison", "kind", "department", "response_working_days", "active"]
    list_filter = ["prison", "kind"]
    audit_added = AuditAction.ADMIN_REQUESTTYPE_ADDED
    audit_changed = AuditAction.ADMIN_REQUESTTYPE_CHANGED
    audit_deleted = AuditAction.ADMIN_REQUESTTYPE_DELETED


@admin.register(PrisonRequest, site=admin_site)
class PrisonRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "person", "kind", "department", "state", "due_at", "escalated_at"]
    list_filter = ["state", "kind"]


@admin.register(Application, site=admin_site)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "status", "owner", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(Document, site=admin_site)
class DocumentAdmin(ReadOnlyAdmin):
    """What is kept, never the file: documents go out only through the checked, audited download views."""

    list_display = ["person", "kind", "title", "content_type", "size_bytes", "uploaded_at", "removed_at"]
    list_filter = ["kind"]
    exclude = ["file"]
