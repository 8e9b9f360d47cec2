"""What happens in a check-in that apps above `checkins` may need to act on (see onward.core.events).

Announced inside the transaction that makes the change, after the change is saved.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from onward.people.models import Person


@dataclass(frozen=True)
class CheckinLocationShared:
    """The person shared their phone's position with a check-in (with their consent).

    `curfew` keeps it as a location fix (source "checkin") and judges it against the zones and curfew.
    """

    person: Person
    actor: Any
    checkin_id: int
    kind: str  # the check-in's kind: "scheduled" or "curfew_prompt"
    recorded_at: datetime
    latitude: float
    longitude: float
    accuracy_m: float
