"""How long unsent drafts are kept."""

from datetime import datetime

from onward.core.retention import retention_rule
from onward.messaging.models import Draft
from onward.messaging.services import drafts_expire


@retention_rule("message_drafts", covers=[Draft])
def message_drafts_delete(now: datetime) -> int:
    return drafts_expire(now)["drafts"]
