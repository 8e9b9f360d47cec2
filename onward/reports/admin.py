"""Administrators keep the published unit costs up to date here: a new figure is a new dated row, with
its source; every change is audited."""

from django.contrib import admin

from onward.core.admin_mixins import AuditedAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.reports.models import UnitCost


@admin.register(UnitCost, site=admin_site)
class UnitCostAdmin(AuditedAdmin):
    list_display = ["kind", "valid_from", "pence_per_day", "confirmed", "source_title"]
    list_filter = ["kind", "confirmed"]
    audit_added = AuditAction.ADMIN_UNITCOST_ADDED
    audit_changed = AuditAction.ADMIN_UNITCOST_CHANGED
    audit_deleted = AuditAction.ADMIN_UNITCOST_DELETED
