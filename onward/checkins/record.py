"""The "Remote check-ins" part of a person's staff record: the latest suitability screen and what it allows."""

from typing import Any

from onward.checkins.models import OfficeVisits
from onward.checkins.selectors import suitability_screen_current
from onward.checkins.services import modes_allowed_under
from onward.checkins.suitability import reasons_described
from onward.core.permissions import can
from onward.people.models import Person
from onward.people.record import RecordSection, record_section


@record_section("checkin_suitability", order=35)
def checkin_suitability_section(user: Any, person: Person) -> RecordSection | None:
    if not can(user, "checkin.suitability_screen", person):
        return None
    screen = suitability_screen_current(person)
    allowed = modes_allowed_under(screen)
    return RecordSection(
        "checkins/_record_suitability.html",
        {
            "screen": screen,
            "reasons": reasons_described(screen.reasons) if screen else [],
            "may_replace": OfficeVisits.REPLACES in allowed,
            "may_supplement": OfficeVisits.SUPPLEMENTS in allowed,
        },
    )
