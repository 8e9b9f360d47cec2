"""Check-in photos and clips: deleted on the schedule of the practitioner's decision (see services)."""

from datetime import datetime

from onward.checkins.models import CheckInMedia
from onward.checkins.services import checkin_media_retention
from onward.core.retention import retention_rule


@retention_rule("check_in_media", covers=[CheckInMedia])
def check_in_media_delete(now: datetime) -> int:
    return checkin_media_retention(now)["files"]
