"""Location fixes and their spoofing flags go a set time after they were recorded, unless an open alert
about that person needs them (its evidence), or a violation still open covers them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef

from onward.alerts.models import WAITING_STATES, Alert
from onward.core.retention import retention_rule
from onward.curfew.models import LocationFix, SpoofFlag, Violation


@retention_rule("location_fixes", covers=[LocationFix, SpoofFlag])
def location_fixes_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.LOCATION_FIX_RETENTION_DAYS)
    needed = Exists(Alert.objects.filter(person=OuterRef("person"), state__in=WAITING_STATES))
    still_open = Exists(Violation.objects.filter(person=OuterRef("person"), ended_at__isnull=True))
    deleted, _by_model = LocationFix.objects.filter(recorded_at__lt=cutoff).exclude(needed).exclude(still_open).delete()
    return deleted
