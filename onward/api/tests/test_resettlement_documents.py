"""The documents and applications API: staff track an application and keep a document; the person lists
and downloads their own by device token; a renamed file is refused; another person's is a 404."""

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from onward.api.tests.helpers import bearer, get_json
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from onward.resettlement.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    person = PersonFactory(unit=org["wing_a"])
    other = PersonFactory(unit=org["wing_a"])
    pom = make_staff(Role.POM, org["ngt"])
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    return {"person": person, "other": other, "pom": pom}


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _json(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def _staff_upload(staff: Any, person: Any, filename: str, title: str) -> Any:
    return staff.post(
        f"/api/v1/people/{person.pk}/documents",
        {"file": SimpleUploadedFile(filename, _pdf()), "kind": "letter", "title": title},
    )


def test_staff_track_an_application_and_a_wrong_move_is_refused(world, staff_client):
    staff = staff_client(world["pom"])
    base = f"/api/v1/people/{world['person'].pk}/applications"
    started = _json(staff, base, {"kind": "provisional_licence", "owner": "prison"})
    assert started.status_code == 200, started.content
    application = started.json()
    assert (application["status"], application["kind"]) == ("not_started", "provisional_licence")
    refused = _json(staff, f"{base}/{application['id']}/status", {"status": "done"})
    assert refused.status_code == 400
    assert "cannot go from" in refused.json()["detail"]
    moved = _json(staff, f"{base}/{application['id']}/status", {"status": "submitted", "reference": "DVLA-123"})
    assert moved.status_code == 200
    assert moved.json()["status"] == "submitted"
    assert moved.json()["reference"] == "DVLA-123"
    assert moved.json()["submitted_at"] is not None
    assert _json(staff, base, {"kind": "spaceship"}).status_code == 400


def test_staff_upload_and_the_person_downloads_by_device_token(world, client, staff_client, token_for):
    staff = staff_client(world["pom"])
    response = _staff_upload(staff, world["person"], "scan.jpg", "Housing letter")
    assert response.status_code == 200, response.content
    document = response.json()
    assert document["content_type"] == "application/pdf"
    token = token_for(world["person"])
    status, listing = get_json(client, "/api/v1/me/documents", token)
    assert status == 200
    assert [d["title"] for d in listing["documents"]] == ["Housing letter"]
    download = client.get(f"/api/v1/me/documents/{document['id']}", headers=bearer(token))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _pdf()
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    other_token = token_for(world["other"])
    assert client.get(f"/api/v1/me/documents/{document['id']}", headers=bearer(other_token)).status_code == 404


def test_the_person_uploads_and_a_renamed_program_is_refused(world, client, token_for):
    token = token_for(world["person"])
    refused = client.post(
        "/api/v1/me/documents",
        {"file": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100), "kind": "cv"},
        headers=bearer(token),
    )
    assert refused.status_code == 400
    assert "photo (JPEG or PNG) or a PDF" in refused.json()["detail"]
    assert not Document.objects.exists()
    made = client.post(
        "/api/v1/me/documents", {"file": SimpleUploadedFile("cv.pdf", _pdf()), "kind": "cv"}, headers=bearer(token)
    )
    assert made.status_code == 200
    assert Document.objects.get().person == world["person"]


def test_security_see_the_plan_but_not_the_papers(world, org, make_staff, staff_client):
    staff = staff_client(world["pom"])
    uploaded = _staff_upload(staff, world["person"], "birth.pdf", "Birth certificate")
    assert uploaded.status_code == 200, uploaded.content
    security = staff_client(make_staff(Role.SECURITY, org["ngt"]))
    base = f"/api/v1/people/{world['person'].pk}"

    assert security.get(f"{base}/plan").status_code == 200
    assert security.get(f"{base}/documents").status_code == 403
    assert security.get(f"{base}/documents/{uploaded.json()['id']}").status_code == 403
    plan_page = f"/staff/people/{world['person'].pk}/plan/"
    seen_by_security = security.get(plan_page)
    assert seen_by_security.status_code == 200
    assert "Documents and ID applications" not in seen_by_security.content.decode()
    assert "Documents and ID applications" in staff.get(plan_page).content.decode()
    assert staff.get(f"{base}/documents").status_code == 200
