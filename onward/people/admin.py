from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.people.models import Person


@admin.register(Person, site=admin_site)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only here: changes to a person go through the services, which check and audit them."""

    list_display = ["prison_number", "crn", "last_name", "first_name", "status", "unit"]
    list_filter = ["status"]
    search_fields = ["prison_number", "crn", "last_name"]
    list_select_related = ["unit"]
