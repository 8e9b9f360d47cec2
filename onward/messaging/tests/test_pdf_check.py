"""PDF attachments that carry script, actions, links, embedded files or encryption are refused in plain words.

The PDFs are made here with pypdf (synthetic, one blank page each)."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from onward.messaging.attachments import attachment_prepare


def _pdf(change=lambda writer: None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(writer: PdfWriter) -> None:
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _document_javascript(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    names = ArrayObject([TextStringObject("synthetic"), writer._add_object(action)])
    tree = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


def _hidden_javascript_in_a_page_action(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})


def test_a_plain_pdf_is_accepted_unchanged():
    raw = _pdf()
    prepared = attachment_prepare(SimpleUploadedFile("letter.pdf", raw))
    assert prepared.content == raw
    assert prepared.content_type == "application/pdf"


@pytest.mark.parametrize(
    "change",
    [
        _document_javascript,
        _open_action,
        _hidden_javascript_in_a_page_action,
        lambda writer: writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url="https://example.invalid/")),
        lambda writer: writer.add_attachment("payload.exe", b"MZ synthetic"),
    ],
    ids=["javascript", "launch-on-open", "page-action-javascript", "link", "embedded-file"],
)
def test_a_pdf_that_can_act_is_refused(change):
    with pytest.raises(ValidationError, match="links, scripts or forms"):
        attachment_prepare(SimpleUploadedFile("letter.pdf", _pdf(change)))


def test_an_encrypted_or_broken_pdf_is_refused():
    with pytest.raises(ValidationError, match="could not be read"):
        attachment_prepare(SimpleUploadedFile("locked.pdf", _pdf(lambda writer: writer.encrypt("synthetic"))))
    with pytest.raises(ValidationError, match="could not be read"):
        attachment_prepare(SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n%%EOF\n"))
