"""Message attachments: the one upload check (onward/core/uploads.py) with messaging's size limit.

JPEG, PNG or PDF by content, not name; PDFs that can act are refused; images lose their metadata.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from onward.core.uploads import upload_prepare


@dataclass(frozen=True)
class PreparedAttachment:
    content: bytes
    content_type: str
    name: str


def attachment_prepare(upload: UploadedFile) -> PreparedAttachment:
    """Check one upload and return what will be stored. Raises ValidationError in plain words."""
    prepared = upload_prepare(upload, max_bytes=settings.MESSAGING_ATTACHMENT_MAX_BYTES)
    return PreparedAttachment(
        content=prepared.content, content_type=prepared.content_type, name=f"attachment.{prepared.extension}"
    )
