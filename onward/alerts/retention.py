"""Closed alerts, with their notes, go a set time after they were closed; open ones stay until decided."""

from datetime import datetime, timedelta

from django.conf import settings

from onward.alerts.models import Alert, AlertNote, AlertState
from onward.core.retention import retention_rule


@retention_rule("alerts_closed", covers=[Alert, AlertNote])
def alerts_closed_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_CLOSED_DAYS)
    deleted, _by_model = Alert.objects.filter(state=AlertState.CLOSED, closed_at__lt=cutoff).delete()
    return deleted
