"""PDF uploads (message attachments, documents) are refused when they carry script, actions, embedded
files or forms that run.

A PDF is read with pypdf and every object reachable from its trailer is walked: a document that opens with an
action, a link or button that runs one, JavaScript, an embedded file or an XFA form is refused in plain words,
and so are encrypted PDFs (they cannot be looked inside) and ones pypdf cannot read.
"""

from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys whose presence means the document can act: open with an action, run script, carry files or live forms.
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/OpenAction", "/AA", "/A", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"}
)
# Action types (the /S of an action dictionary): any of them is an action.
ACTION_TYPES = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SetOCGState",
        "/Trans",
        "/GoTo3DView",
    }
)
OBJECTS_MAX = 200_000


class PdfRefused(Exception):
    """Why a PDF is refused, as a code: "active", "encrypted" or "unreadable"."""


def pdf_active_content_check(raw: bytes) -> None:
    """Raise PdfRefused unless the PDF is readable, unencrypted and carries nothing that can act."""
    try:
        reader = PdfReader(BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise PdfRefused("encrypted")
        _walk(reader.trailer)
    except PdfRefused:
        raise
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError, RecursionError, OSError) as error:
        raise PdfRefused("unreadable") from error


def _walk(start: Any) -> None:
    seen: set[tuple[int, int]] = set()
    pending = [start]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > OBJECTS_MAX:
            raise PdfRefused("unreadable")
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in ACTIVE_KEYS:
                    raise PdfRefused("active")
                if name == "/S" and isinstance(value, NameObject) and value in ACTION_TYPES:
                    raise PdfRefused("active")
                if name in ("/Parent", "/P"):  # back links up the page tree: the walk reaches those anyway
                    continue
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
