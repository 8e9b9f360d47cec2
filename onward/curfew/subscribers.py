"""How curfew reacts to what happens in other apps: a check-in's position becomes a location fix."""

from onward.checkins.events import CheckinLocationShared
from onward.core.events import subscriber
from onward.curfew.evaluation import checkin_fix_record


@subscriber(CheckinLocationShared)
def checkin_position_judged(event: CheckinLocationShared) -> None:
    """The position shared with a check-in is kept as a fix and judged against the zones and curfew."""
    checkin_fix_record(
        actor=event.actor,
        person=event.person,
        checkin_id=event.checkin_id,
        recorded_at=event.recorded_at,
        latitude=event.latitude,
        longitude=event.longitude,
        accuracy_m=event.accuracy_m,
    )
