"""How long a file of people waits for its uploader to confirm the import."""

from datetime import datetime

from onward.core.retention import retention_rule
from onward.people.imports import import_uploads_expire
from onward.people.models import ImportUpload


@retention_rule("people_import_uploads", covers=[ImportUpload])
def people_import_uploads_delete(now: datetime) -> int:
    """Uploads past PEOPLE_IMPORT_PREVIEW_MINUTES that nobody confirmed."""
    return import_uploads_expire(now)
