"""Appointments in the admin: read-only, because changes go through the services (audited, the person told)."""

from django.contrib import admin

from onward.appointments.models import Appointment, CalendarFeed, Slot
from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site


@admin.register(Appointment, site=admin_site)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "kind", "starts_at", "state", "compulsory"]
    list_filter = ["kind", "state", "compulsory"]
    search_fields = ["=id", "=person__crn", "=person__prison_number"]
    date_hierarchy = "starts_at"


@admin.register(CalendarFeed, site=admin_site)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "created_at", "revoked_at", "last_used_at"]
    exclude = ["token_digest"]


@admin.register(Slot, site=admin_site)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "kind", "starts_at", "state", "for_person", "booked_by"]
    list_filter = ["kind", "state"]
    search_fields = ["=id", "=booked_by__crn", "=for_person__crn"]
    date_hierarchy = "starts_at"
