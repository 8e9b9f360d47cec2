"""Closed and withdrawn requests, with their history, go a set time after they were closed.

The plan itself (assessments, needs, actions, history) is kept with the person's record: see
KEPT_WITH_THE_RECORD in onward/core/retention.py.
"""

from datetime import datetime, timedelta

from django.conf import settings

from onward.core.retention import retention_rule
from onward.resettlement.models import PrisonRequest, RequestEvent, RequestState


@retention_rule("requests_closed", covers=[PrisonRequest, RequestEvent])
def requests_closed_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.REQUEST_RETENTION_CLOSED_DAYS)
    deleted, _by_model = PrisonRequest.objects.filter(
        state__in=[RequestState.CLOSED, RequestState.WITHDRAWN], closed_at__lt=cutoff
    ).delete()
    return deleted
