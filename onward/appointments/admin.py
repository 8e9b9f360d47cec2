"""Appointments in the admin: read-only, because changes go through the services (audited, the person told)."""

from django.contrib import admin

from onward.appointments.models import Appointment, CalendarFeed, Reminder, ReminderPreference, Slot
from onward.core.admin_mixins import PolicyAdmin, ReadOnlyAdmin
from onward.core.admin_site import admin_site


@admin.register(Appointment, site=admin_site)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "kind", "starts_at", "state", "compulsory"]
    list_filter = ["kind", "state", "compulsory"]
    search_fields = ["=id", "=person__crn", "=person__prison_number"]
    date_hierarchy = "starts_at"


@admin.register(Reminder, site=admin_site)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["id", "appointment", "offset_minutes", "due_at", "state", "channel", "sent_at"]
    list_filter = ["state", "channel"]


@admin.register(ReminderPreference, site=admin_site)
class ReminderPreferenceAdmin(PolicyAdmin):
    list_display = ["person", "channel", "quiet_start", "quiet_end"]
    raw_id_fields = ["person"]


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
