"""The unit-cost admin page: an address typed without its scheme is kept as https://."""

from onward.core.admin_site import admin_site
from onward.reports.models import UnitCost


def test_a_source_address_without_a_scheme_is_taken_as_https():
    model_admin = admin_site._registry[UnitCost]
    form_class = model_admin.get_form(request=None)
    field = form_class.base_fields["source_url"]

    assert field.clean("www.gov.uk/government/statistics") == "https://www.gov.uk/government/statistics"
