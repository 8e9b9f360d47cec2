"""The directory in the admin: read-only, because changes go through the services (audited)."""

from django.contrib import admin

from onward.core.admin_mixins import PolicyInline, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.directory.models import OpeningException, OpeningPeriod, Service


class OpeningPeriodInline(PolicyInline):
    model = OpeningPeriod
    extra = 0
    can_delete = False
    max_num = 0
    readonly_fields = ["weekday", "opens", "closes"]


class OpeningExceptionInline(PolicyInline):
    model = OpeningException
    extra = 0
    can_delete = False
    max_num = 0
    readonly_fields = ["date", "closed", "opens", "closes", "note"]


@admin.register(Service, site=admin_site)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "category", "postcode", "state", "last_checked_on"]
    list_filter = ["category", "state"]
    search_fields = ["name", "postcode"]
    inlines = [OpeningPeriodInline, OpeningExceptionInline]
