"""How long the people app keeps what is only needed for a while: contact-check codes, uploaded files of people."""

from datetime import datetime, timedelta

from django.conf import settings

from onward.core.retention import retention_rule
from onward.people.imports import import_uploads_expire
from onward.people.models import ContactCode, ImportUpload


@retention_rule("contact_codes", covers=[ContactCode])
def contact_codes_delete(now: datetime) -> int:
    """The codes that check a phone number or email, once they can no longer be used."""
    cutoff = now - timedelta(days=settings.RETENTION_SPENT_CODES_DAYS)
    deleted, _counts = ContactCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


@retention_rule("people_import_uploads", covers=[ImportUpload])
def people_import_uploads_delete(now: datetime) -> int:
    """Uploads past PEOPLE_IMPORT_PREVIEW_MINUTES that nobody confirmed."""
    return import_uploads_expire(now)
