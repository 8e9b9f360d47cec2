from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.curfew.models import CurfewTerms, CurfewVariation, LocationFix, SpoofFlag, Violation, Zone

# Read-only: curfew terms, fixes and violations are evidence; every change goes through the audited services.


@admin.register(CurfewTerms, site=admin_site)
class CurfewTermsAdmin(ReadOnlyAdmin):
    list_display = ["person", "licence_version", "issued_at"]
    list_select_related = ["person", "licence_version"]


@admin.register(Zone, site=admin_site)
class ZoneAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "applies", "label", "terms"]
    list_select_related = ["person", "terms"]


@admin.register(CurfewVariation, site=admin_site)
class CurfewVariationAdmin(ReadOnlyAdmin):
    list_display = ["person", "night", "start", "end", "state", "approved_by"]
    list_select_related = ["person", "approved_by"]


@admin.register(LocationFix, site=admin_site)
class LocationFixAdmin(ReadOnlyAdmin):
    list_display = ["person", "device", "recorded_at", "accuracy_m", "source", "against"]
    list_select_related = ["person"]


@admin.register(SpoofFlag, site=admin_site)
class SpoofFlagAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "created_at"]
    list_select_related = ["person"]


@admin.register(Violation, site=admin_site)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "started_at", "ended_at", "fixes"]
    list_select_related = ["person"]
