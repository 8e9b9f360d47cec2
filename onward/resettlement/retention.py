"""Closed and withdrawn requests, with their history, go a set time after they were closed.

The plan itself (assessments, needs, actions, history) is kept with the person's record: see
KEPT_WITH_THE_RECORD in onward/core/retention.py.
"""

from datetime import datetime, timedelta

from django.conf import settings

from onward.core.retention import retention_rule
from onward.resettlement.models import Document, PrisonRequest, RequestEvent, RequestState


@retention_rule("requests_closed", covers=[PrisonRequest, RequestEvent])
def requests_closed_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.REQUEST_RETENTION_CLOSED_DAYS)
    deleted, _by_model = PrisonRequest.objects.filter(
        state__in=[RequestState.CLOSED, RequestState.WITHDRAWN], closed_at__lt=cutoff
    ).delete()
    return deleted


@retention_rule("documents_removed", covers=[Document])
def documents_removed_delete(now: datetime) -> int:
    """A removed document's file and row go RESETTLEMENT_DOCUMENT_REMOVED_DAYS after it was removed.
    Documents still in the person's list are kept with the record (they follow the person through the gate)."""
    cutoff = now - timedelta(days=settings.RESETTLEMENT_DOCUMENT_REMOVED_DAYS)
    gone = list(Document.objects.filter(removed_at__lt=cutoff))
    for document in gone:
        document.file.delete(save=False)
    deleted, _by_model = Document.objects.filter(pk__in=[d.pk for d in gone]).delete()
    return deleted
