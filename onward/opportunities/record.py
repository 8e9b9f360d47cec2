"""The "Early release" part of a person's staff record: the HDC and ROTL status and dates, and the way in."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onward.core.permissions import can
from onward.opportunities.engine import ALMOST, ELIGIBLE, NOT_ELIGIBLE
from onward.opportunities.selectors import person_opportunities
from onward.people.models import Person
from onward.people.record import RecordSection, record_section


@record_section("early_release", order=45)
def early_release_section(user: Any, person: Person) -> RecordSection | None:
    if not person.in_custody or not can(user, "opportunities.view", person):
        return None
    words = {ELIGIBLE: _("eligible"), ALMOST: _("almost eligible"), NOT_ELIGIBLE: _("not eligible")}
    found = person_opportunities(person, timezone.localdate())
    return RecordSection(
        "opportunities/_record.html",
        {
            "hdc_status": words[found.hdc.status],
            "hdc_date": found.hdc.eligible_on,
            "rotl_status": words[found.rotl.status],
            "rotl_date": found.rotl.eligible_on,
        },
    )
