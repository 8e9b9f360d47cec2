from django.contrib import admin

from onward.core.admin_mixins import AuditedAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.organisations.models import OrgUnit


@admin.register(OrgUnit, site=admin_site)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]
    audit_added = AuditAction.ADMIN_ORGUNIT_ADDED
    audit_changed = AuditAction.ADMIN_ORGUNIT_CHANGED
    audit_deleted = AuditAction.ADMIN_ORGUNIT_DELETED
