"""Attachments are checked by their content, not their name: JPEG, PNG or PDF, size-limited.

A PDF with script, actions, links, embedded files or live forms is refused (onward/messaging/pdf_check.py).
Images are decoded and re-encoded with Pillow, which drops their metadata (location, camera, …).
"""

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from onward.messaging.pdf_check import PdfRefused, pdf_active_content_check

MAGIC_TYPES = [
    (b"\xff\xd8\xff", "image/jpeg", "JPEG", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG", "png"),
    (b"%PDF-", "application/pdf", "", "pdf"),
]
IMAGE_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class PreparedAttachment:
    content: bytes
    content_type: str
    name: str


def attachment_prepare(upload: UploadedFile) -> PreparedAttachment:
    """Check one upload and return what will be stored. Raises ValidationError in plain words."""
    limit = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(_("Each file must be smaller than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise ValidationError(_("Each file must be smaller than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    for magic, content_type, pil_format, extension in MAGIC_TYPES:
        if raw.startswith(magic):
            content = _reencode(raw, pil_format) if pil_format else _pdf_checked(raw)
            return PreparedAttachment(content=content, content_type=content_type, name=f"attachment.{extension}")
    raise ValidationError(_("You can only attach a photo (JPEG or PNG) or a PDF."))


def _pdf_checked(raw: bytes) -> bytes:
    try:
        pdf_active_content_check(raw)
    except PdfRefused as refused:
        if str(refused) == "active":
            raise ValidationError(
                _("This PDF has links, scripts or forms in it, so we cannot send it. Send a photo of it instead.")
            ) from None
        raise ValidationError(_("This PDF could not be read. Try another one, or send a photo of it.")) from None
    return raw


def _reencode(raw: bytes, pil_format: str) -> bytes:
    try:
        with Image.open(BytesIO(raw)) as image:
            if image.format != pil_format or image.width * image.height > IMAGE_MAX_PIXELS:
                raise ValidationError(_("This picture could not be read. Try another one."))
            image.load()
            mode = "RGB" if pil_format == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
            # A new image from the pixels alone: EXIF, GPS and comments are left behind.
            clean = Image.new(mode, image.size)
            clean.paste(image.convert(mode))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This picture could not be read. Try another one.")) from None
    out = BytesIO()
    clean.save(out, format=pil_format, **({"quality": 85} if pil_format == "JPEG" else {}))
    return out.getvalue()
