"""The plan in the admin, read-only: it changes through its services, which audit every change."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.resettlement.models import Assessment, Need, PlanAction, PlanEvent


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
