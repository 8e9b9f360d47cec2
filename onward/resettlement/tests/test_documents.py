"""ID and bank account applications, and documents: the state machine, the upload checks, who may
download what, every read audited, the checklist reading the applications, and documents surviving
release and transfer."""

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.core.retention import retention_run
from onward.core.subject_access import subject_access_sections
from onward.learning.tests.factories import pdf_text
from onward.people.models import Status
from onward.people.services import ReleaseDetails, person_release, person_update
from onward.resettlement.documents import document_remove, document_upload
from onward.resettlement.handover import release_checklist
from onward.resettlement.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationStatus,
    Document,
    Need,
    PlanEvent,
    PlanEventKind,
)
from onward.resettlement.services import application_start, application_status_change, assessment_record

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def storage(settings: Any, tmp_path: Path) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def _file(content: bytes, name: str = "letter.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()] if location.exists() else []


# --- applications ------------------------------------------------------------------------------


def test_an_application_joins_the_need_and_each_step_is_dated_and_in_the_needs_history(plan_world):
    person, pom = plan_world["person"], plan_world["pom"]
    assessment_record(actor=pom, person=person, kind="reception", need_codes=["no_id"])
    need = Need.objects.get(code="no_id")
    application = application_start(actor=pom, person=person, kind="birth_certificate")
    assert application.need == need
    for status in (S.REQUESTED, S.SUBMITTED, S.WAITING, S.RECEIVED, S.DONE):
        application = application_status_change(actor=pom, application=application, status=status)
    assert application.status == S.DONE
    assert application.requested_at is not None
    assert application.submitted_at is not None
    assert application.received_at is not None
    assert application.finished_at is not None
    steps = PlanEvent.objects.filter(need=need, kind=PlanEventKind.APPLICATION_STATUS).order_by("at", "pk")
    assert [e.data["to"] for e in steps] == ["requested", "submitted", "waiting", "received", "done"]
    assert AuditEvent.objects.filter(action=AuditAction.APPLICATION_CHANGED, person_id=person.pk).count() == 5


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current in S.values
        for target in S.values
        if target != current and target not in APPLICATION_TRANSITIONS[current]
    ],
)
def test_every_move_outside_the_table_is_refused_and_nothing_changes(plan_world, current, target):
    application = application_start(actor=plan_world["pom"], person=plan_world["person"], kind="passport")
    Application.objects.filter(pk=application.pk).update(status=current)
    with pytest.raises(ValidationError, match="cannot go from"):
        application_status_change(actor=plan_world["pom"], application=application, status=target, reason="why")
    application.refresh_from_db()
    assert application.status == current
    assert not PlanEvent.objects.filter(kind=PlanEventKind.APPLICATION_STATUS).exists()


def test_refused_needs_a_reason_and_keeps_it(plan_world):
    application = application_start(actor=plan_world["pom"], person=plan_world["person"], kind="basic_bank_account")
    application_status_change(actor=plan_world["pom"], application=application, status=S.REQUESTED)
    with pytest.raises(ValidationError, match="Say why"):
        application_status_change(actor=plan_world["pom"], application=application, status=S.REFUSED)
    refused = application_status_change(
        actor=plan_world["pom"], application=application, status=S.REFUSED, reason="No proof of address"
    )
    assert (refused.status, refused.reason) == (S.REFUSED, "No proof of address")


def test_only_caseworkers_who_reach_the_person_start_or_move_applications(plan_world):
    with pytest.raises(PermissionDenied):
        application_start(actor=plan_world["outsider"], person=plan_world["person"], kind="passport")
    with pytest.raises(PermissionDenied):
        application_start(actor=plan_world["security"], person=plan_world["person"], kind="passport")
    application = application_start(actor=plan_world["pom"], person=plan_world["person"], kind="passport")
    with pytest.raises(PermissionDenied):
        application_status_change(actor=plan_world["user"], application=application, status=S.REQUESTED)


def test_the_checklist_reads_id_and_bank_account_from_the_applications(plan_world):
    person, pom = plan_world["person"], plan_world["pom"]
    missing = {item.code for item in release_checklist(person).missing}
    assert {"id", "bank_account"}.isdisjoint(missing)  # no need found, no application: they have them
    bank = application_start(actor=pom, person=person, kind="basic_bank_account")
    licence = application_start(actor=pom, person=person, kind="provisional_licence")
    application_start(actor=pom, person=person, kind="national_insurance")  # settles no checklist item
    missing = {item.code for item in release_checklist(person).missing}
    assert {"id", "bank_account"} <= missing  # on their way: not ready yet
    for status in (S.SUBMITTED, S.RECEIVED):
        application_status_change(actor=pom, application=bank, status=status)
    missing = {item.code for item in release_checklist(person).missing}
    assert "bank_account" not in missing
    assert "id" in missing
    application_status_change(actor=pom, application=licence, status=S.WITHDRAWN, reason="Has a passport")
    assessment_record(actor=pom, person=person, kind="review", need_codes=["no_id"])
    assert "id" in {item.code for item in release_checklist(person).missing}  # the open need decides now


# --- documents ---------------------------------------------------------------------------------


def test_staff_and_the_person_upload_and_the_type_comes_from_the_bytes(plan_world):
    person = plan_world["person"]
    staff_doc = document_upload(
        actor=plan_world["pom"], person=person, upload=_file(_pdf(), "cv.png", "image/png"), kind="cv", title="CV"
    )
    own = document_upload(actor=plan_world["user"], person=person, upload=_file(_png(), "me.pdf"), kind="id")
    assert (staff_doc.content_type, staff_doc.filename) == ("application/pdf", f"cv-{staff_doc.pk}.pdf")
    assert own.content_type == "image/png"
    assert own.title == "ID"
    assert not staff_doc.file.name.endswith("cv.png")
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_UPLOADED, person_id=person.pk).count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, r"only use a photo \(JPEG or PNG\) or a PDF"),
        (b"%PDF-1.7\nthis is not really a pdf at all\n", "This PDF could not be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This picture could not be read"),
    ],
    ids=["exe-renamed-pdf", "broken-pdf", "broken-png"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(plan_world, storage, content, message):
    with pytest.raises(ValidationError, match=message):
        document_upload(actor=plan_world["user"], person=plan_world["person"], upload=_file(content), kind="letter")
    assert not Document.objects.exists()
    assert _stored_files(storage) == []


def test_a_huge_file_is_refused_with_the_limit_in_the_message_through_the_page(
    plan_world, person_client, settings, storage
):
    settings.RESETTLEMENT_DOCUMENT_MAX_BYTES = 1024 * 1024
    huge = _pdf() + b"%" + b"x" * (1024 * 1024)
    response = person_client(plan_world["person"]).post(
        "/me/documents/", {"kind": "letter", "file": _file(huge, "big.pdf")}
    )
    assert response.status_code == 400
    assert "Each file must be smaller than 1 MB." in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files(storage) == []


def test_a_pdf_carrying_a_file_is_refused(plan_world):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("payload.exe", b"MZ synthetic")  # an embedded file
    out = BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError, match="links, scripts or forms"):
        document_upload(
            actor=plan_world["pom"], person=plan_world["person"], upload=_file(out.getvalue()), kind="letter"
        )


def test_the_person_downloads_their_own_document_as_an_attachment_and_the_read_is_audited(plan_world, person_client):
    person = plan_world["person"]
    document = document_upload(actor=plan_world["pom"], person=person, upload=_file(_pdf()), kind="letter")
    client = person_client(person)
    page = client.get("/me/documents/").content.decode()
    assert f"/me/documents/{document.pk}/" in page
    response = client.get(f"/me/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf_bytes(document)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="letter-{document.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED, person_id=person.pk).count() == 1


def _pdf_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_a_person_never_reaches_another_persons_document(plan_world, person_client):
    theirs = document_upload(
        actor=plan_world["pom"], person=plan_world["other"], upload=_file(_pdf()), kind="letter", title="Owen's letter"
    )
    client = person_client(plan_world["person"])
    assert client.get(f"/me/documents/{theirs.pk}/").status_code == 404
    assert client.post(f"/me/documents/{theirs.pk}/remove/").status_code == 404
    assert "Owen's letter" not in client.get("/me/documents/").content.decode()
    assert client.get(f"/staff/people/{plan_world['other'].pk}/documents/{theirs.pk}/").status_code in (302, 403)
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_staff_outside_the_persons_prison_cannot_download(plan_world, staff_client):
    person = plan_world["person"]
    document = document_upload(actor=plan_world["pom"], person=person, upload=_file(_pdf()), kind="letter")
    url = f"/staff/people/{person.pk}/documents/{document.pk}/"
    assert staff_client(plan_world["outsider"]).get(url).status_code in (403, 404)
    assert staff_client(plan_world["pom"]).get(url).status_code == 200


def test_the_person_removes_only_what_they_added_and_removed_files_go_by_retention(plan_world, storage):
    person = plan_world["person"]
    staff_doc = document_upload(actor=plan_world["pom"], person=person, upload=_file(_pdf()), kind="letter")
    own = document_upload(actor=plan_world["user"], person=person, upload=_file(_png()), kind="cv")
    with pytest.raises(ValidationError, match="only remove documents you added"):
        document_remove(actor=plan_world["user"], document=staff_doc)
    document_remove(actor=plan_world["user"], document=own)
    assert len(_stored_files(storage)) == 2  # kept for a while: a mistake can be put right
    retention_run(timezone.now() + dt.timedelta(days=31))
    assert list(Document.objects.values_list("pk", flat=True)) == [staff_doc.pk]
    assert len(_stored_files(storage)) == 1


def test_documents_and_applications_are_in_the_subject_access_export(plan_world):
    person = plan_world["person"]
    document = document_upload(actor=plan_world["pom"], person=person, upload=_file(_pdf()), kind="letter")
    application_start(actor=plan_world["pom"], person=person, kind="passport")
    section = subject_access_sections()["documents"](person)
    data = section.data
    assert section.files == [(document.file.name, f"documents/letter-{document.pk}.pdf")]
    assert [row["kind"] for row in data["applications"]] == ["passport"]
    assert [row["id"] for row in data["documents"]] == [document.pk]


# --- through the gate ----------------------------------------------------------------------------


def test_documents_and_applications_survive_release_and_transfer(plan_world, staff_client, person_client):
    person, pom = plan_world["person"], plan_world["pom"]
    document = document_upload(actor=pom, person=person, upload=_file(_pdf()), kind="id", title="Birth certificate")
    application_start(actor=pom, person=person, kind="basic_bank_account")
    person_update(actor=pom, person=person, fields={"unit": plan_world["org"]["stn_wing"]})
    receiving = plan_world["outsider"]  # a POM at the prison the person moved to
    receiving_client = staff_client(receiving)
    page = receiving_client.get(f"/staff/people/{person.pk}/documents/").content.decode()
    assert "Birth certificate" in page
    assert "Basic bank account" in page
    assert receiving_client.get(f"/staff/people/{person.pk}/documents/{document.pk}/").status_code == 200
    released = person_release(
        actor=receiving,
        person=person,
        details=ReleaseDetails(
            release_date=timezone.localdate(),
            status=Status.LICENCE,
            supervising_unit=plan_world["org"]["office_n"],
            address="2 New Road, Northgate",
            practitioner=plan_world["practitioner"],
        ),
    )
    assert list(Document.objects.filter(person=released).values_list("pk", flat=True)) == [document.pk]
    practitioner = staff_client(plan_world["practitioner"])
    assert practitioner.get(f"/staff/people/{person.pk}/documents/{document.pk}/").status_code == 200
    summary = pdf_text(practitioner.get(f"/staff/people/{person.pk}/plan/handover.pdf").content)
    assert "Basic bank account: Not started" in summary
    assert "Birth certificate (ID" in summary
    response = person_client(released).get(f"/me/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
