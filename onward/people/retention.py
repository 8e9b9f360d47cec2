"""How long the codes that check a phone number or email are kept once they can no longer be used."""

from datetime import datetime, timedelta

from django.conf import settings

from onward.core.retention import retention_rule
from onward.people.models import ContactCode


@retention_rule("contact_codes", covers=[ContactCode])
def contact_codes_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_SPENT_CODES_DAYS)
    deleted, _counts = ContactCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
