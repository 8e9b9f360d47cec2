"""The staff page: upload a file, see what it would do (or every problem), confirm, and only that file is imported."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.core.retention import retention_run
from onward.organisations.models import Role
from onward.people.models import ImportUpload, Person
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db

HEADER = "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code"
# Synthetic people, supervised from the north PDU's office.
GOOD = "\n".join(
    [
        HEADER,
        ",X100001,Test,Upload-One,1980-01-01,licence,OFF-N",
        ",X100002,Test,Upload-Two,1981-02-02,licence,OFF-N",
    ]
)


def upload(client, text, name="people.csv"):
    return client.post("/staff/people/import/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


@pytest.fixture
def senior_client(org, make_staff, staff_client):
    return staff_client(make_staff(Role.SENIOR, org["pdu_n"]))


def test_upload_preview_then_confirm_imports_the_file(senior_client):
    response = upload(senior_client, GOOD)
    assert response.status_code == 302
    preview_url = response["Location"]
    assert not Person.objects.exists()
    page = senior_client.get(preview_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Upload-One" in text
    assert "X100002" in text
    assert "People to add" in text
    done = senior_client.post(preview_url)
    assert done.status_code == 302
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Upload-One", "Upload-Two"]
    assert AuditEvent.objects.filter(action="person.created", actor_role="senior").count() == 2
    assert not ImportUpload.objects.exists()
    # The upload is used once: confirming again finds nothing waiting, and imports nothing more.
    again = senior_client.post(preview_url)
    assert again.status_code == 400
    assert "no longer waiting" in again.content.decode()
    assert Person.objects.count() == 2


def test_a_file_with_problems_lists_every_one_and_keeps_nothing(senior_client):
    bad = GOOD + "\n,X100003,Test,Bad-Date,1980-02-30,licence,OFF-N\nA1234BC,,Test,Elsewhere,1980-01-01,licence,OFF-S"
    response = upload(senior_client, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There are 2 problems in the file" in text
    assert "Enter a real date" in text
    assert "outside the units you cover" in text
    assert not ImportUpload.objects.exists()
    assert not Person.objects.exists()


def test_confirming_imports_what_was_previewed_not_what_changed_since(senior_client, org):
    response = upload(senior_client, GOOD)
    preview_url = response["Location"]
    # Someone adds one of the file's people by hand between the preview and the confirmation.
    CommunityPersonFactory(crn="X100001", unit=org["office_n"], last_name="Added-Meanwhile")
    confirm = senior_client.post(preview_url)
    assert confirm.status_code == 409
    assert "Someone changed these records" in confirm.content.decode()
    assert not Person.objects.filter(last_name="Upload-Two").exists()
    # The new preview says what the file would do now; confirming that imports it.
    page = senior_client.get(preview_url).content.decode()
    assert "People to update" in page
    assert senior_client.post(preview_url).status_code == 302
    assert Person.objects.get(crn="X100001").last_name == "Upload-One"
    assert Person.objects.filter(last_name="Upload-Two").exists()


def test_only_the_uploader_sees_or_confirms_their_upload(senior_client, org, make_staff, staff_client):
    preview_url = upload(senior_client, GOOD)["Location"]
    other = staff_client(make_staff(Role.SENIOR, org["pdu_n"]))
    assert other.get(preview_url).status_code == 400
    assert other.post(preview_url).status_code == 400
    assert not Person.objects.exists()


def test_an_upload_not_confirmed_in_time_is_deleted(senior_client, settings):
    preview_url = upload(senior_client, GOOD)["Location"]
    upload_row = ImportUpload.objects.get()
    later = upload_row.expires_at + dt.timedelta(seconds=1)
    assert retention_run(later)["people_import_uploads"] == 1
    assert not ImportUpload.objects.exists()
    assert senior_client.post(preview_url).status_code == 400
    assert not Person.objects.exists()
    assert upload_row.expires_at - upload_row.created_at == dt.timedelta(minutes=settings.PEOPLE_IMPORT_PREVIEW_MINUTES)
    assert upload_row.created_at <= timezone.now()


def test_a_file_that_is_not_utf8_is_refused_in_words(senior_client):
    response = senior_client.post(
        "/staff/people/import/",
        {
            "file": SimpleUploadedFile(
                "people.csv", (GOOD + "\n,X100009,Caf\xe9,A,1980-01-01,licence,OFF-N").encode("latin-1")
            )
        },
    )
    assert response.status_code == 400
    assert "not saved as UTF-8" in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.KEY_WORKER, Role.SECURITY, Role.CONTENT_EDITOR])
def test_other_roles_may_not_open_the_page(org, make_staff, staff_client, role):
    client = staff_client(make_staff(role, org["office_n"]))
    assert client.get("/staff/people/import/").status_code == 403
    assert upload(client, GOOD).status_code == 403
