"""Files people and staff upload are checked by their content, not their name: JPEG, PNG or PDF, size-limited.

The one check for every app that takes a file (message attachments, resettlement documents). The type comes
from the first bytes; a PDF with script, actions, links, embedded files or live forms is refused
(`pdf_check.py`); images are decoded and re-encoded with Pillow, which drops their metadata (location,
camera, …). Every refusal is a `ValidationError` in plain words the person can act on.
"""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from onward.core.pdf_check import PdfRefused, pdf_active_content_check

# (first bytes, content type, Pillow's name for it or "" for a PDF, file extension)
MAGIC_TYPES = [
    (b"\xff\xd8\xff", "image/jpeg", "JPEG", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG", "png"),
    (b"%PDF-", "application/pdf", "", "pdf"),
]
ACCEPTED_CONTENT_TYPES = frozenset(content_type for _magic, content_type, _pil, _ext in MAGIC_TYPES)
IMAGE_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class PreparedUpload:
    """What will be stored: the checked (for images, re-encoded) bytes and their real type."""

    content: bytes
    content_type: str
    extension: str


def upload_prepare(upload: UploadedFile, *, max_bytes: int) -> PreparedUpload:
    """Check one upload and return what may be stored. Raises ValidationError in plain words."""
    too_big = _("Each file must be smaller than %(mb)s MB.") % {"mb": max(1, max_bytes // (1024 * 1024))}
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(too_big)
    upload.seek(0)
    raw = upload.read(max_bytes + 1)  # never more than the limit, whatever the size claimed
    if len(raw) > max_bytes:
        raise ValidationError(too_big)
    return content_prepare(raw)


def content_prepare(raw: bytes) -> PreparedUpload:
    """The same check for bytes already read (an upload through the API, a file from a phone)."""
    for magic, content_type, pil_format, extension in MAGIC_TYPES:
        if raw.startswith(magic):
            content = _reencode(raw, pil_format) if pil_format else _pdf_checked(raw)
            return PreparedUpload(content=content, content_type=content_type, extension=extension)
    raise ValidationError(_("You can only use a photo (JPEG or PNG) or a PDF. Other kinds of file cannot be used."))


def _pdf_checked(raw: bytes) -> bytes:
    try:
        pdf_active_content_check(raw)
    except PdfRefused as refused:
        if str(refused) == "active":
            raise ValidationError(
                _("This PDF has links, scripts or forms in it, so we cannot take it. Use a photo of it instead.")
            ) from None
        raise ValidationError(_("This PDF could not be read. Try another one, or use a photo of it.")) from None
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
