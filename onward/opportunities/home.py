"""The person's early release dates on their home page, while they are in custody."""

from typing import Any

from django.utils import timezone

from onward.core.permissions import can
from onward.opportunities.engine import NOT_ELIGIBLE
from onward.opportunities.selectors import person_opportunities
from onward.people.home import COMING_UP, HomeSection, home_section
from onward.people.models import Person


@home_section("early_release", order=30, group=COMING_UP)
def early_release_section(user: Any, person: Person) -> HomeSection | None:
    if not person.in_custody or not can(user, "opportunities.self", person):
        return None
    found = person_opportunities(person, timezone.localdate())
    hdc_open = found.hdc.status != NOT_ELIGIBLE
    context = {
        "hdc_date": found.hdc.eligible_on if hdc_open else None,
        "rotl_date": found.rotl.eligible_on if found.rotl.status != NOT_ELIGIBLE else None,
        "needs_address": hdc_open and found.hdc_case is None,
    }
    if not (context["hdc_date"] or context["rotl_date"]):
        return None
    return HomeSection("opportunities/_home.html", context)
