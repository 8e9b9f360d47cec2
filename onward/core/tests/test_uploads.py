"""The one upload check: the type comes from the bytes, never the name; the size limit is read, not trusted;
images come back re-encoded without their metadata."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onward.core.uploads import content_prepare, upload_prepare


def _jpeg_with_a_comment() -> bytes:
    out = BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(out, format="JPEG", comment=b"taken at 1 Secret Street")
    return out.getvalue()


def test_a_photo_named_as_a_pdf_is_a_photo_and_loses_its_metadata() -> None:
    raw = _jpeg_with_a_comment()
    assert b"Secret Street" in raw
    prepared = upload_prepare(SimpleUploadedFile("scan.pdf", raw, content_type="application/pdf"), max_bytes=10**6)
    assert (prepared.content_type, prepared.extension) == ("image/jpeg", "jpg")
    assert b"Secret Street" not in prepared.content


def test_a_file_that_claims_to_be_small_is_still_refused_when_it_is_not() -> None:
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048)
    upload.size = 10  # what a client may claim
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        upload_prepare(upload, max_bytes=1024)


def test_anything_but_jpeg_png_or_pdf_is_refused() -> None:
    for raw in (b"GIF89a" + b"\x00" * 20, b"PK\x03\x04zip", b"<svg></svg>", b""):
        with pytest.raises(ValidationError, match="only use a photo"):
            content_prepare(raw)
