"""POST /api/v1/people/import: the import's report as JSON, 200 with counts or 422 with every problem."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db

HEADER = "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code"
# Synthetic people for the north PDU's office; one row at the south PDU's office, outside a north senior's scope.
GOOD = f"{HEADER}\n,X200001,Test,Api-One,1980-01-01,licence,OFF-N\n,X200002,Test,Api-Two,1981-01-01,licence,OFF-N\n"


def post(client: Client, text: str, **data: str):
    return client.post(
        "/api/v1/people/import", {"file": SimpleUploadedFile("people.csv", text.encode(), "text/csv"), **data}
    )


@pytest.fixture
def senior(org, make_staff, staff_client) -> Client:
    return staff_client(make_staff(Role.SENIOR, org["pdu_n"]))


def test_a_good_file_answers_the_counts_and_a_second_time_all_unchanged(senior) -> None:
    first = post(senior, GOOD)
    assert (first.status_code, first.json()) == (200, {"created": 2, "updated": 0, "unchanged": 0})
    again = post(senior, GOOD)
    assert (again.status_code, again.json()) == (200, {"created": 0, "updated": 0, "unchanged": 2})
    assert Person.objects.count() == 2


def test_dry_run_counts_and_writes_nothing(senior) -> None:
    response = post(senior, GOOD, dry_run="true")
    assert (response.status_code, response.json()) == (200, {"created": 2, "updated": 0, "unchanged": 0})
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.created").exists()


def test_a_bad_row_answers_422_naming_every_problem_and_imports_nothing(senior, org) -> None:
    CommunityPersonFactory(crn="X200009", unit=org["office_s"])
    text = GOOD + ",X200003,Test,Api-South,1980-01-01,licence,OFF-S\n,X200009,Test,Moved,1980-01-01,licence,OFF-N\n"
    response = post(senior, text)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Nothing was imported")
    assert [(e["line"], e["column"], e["location"]) for e in body["errors"]] == [
        (4, "unit_code", "file"),
        (5, "crn", "file"),
    ]
    assert not Person.objects.filter(last_name__startswith="Api").exists()


def test_a_file_that_cannot_be_read_is_a_422_for_the_whole_file(senior) -> None:
    response = post(senior, "shoe_size\n42\n")
    assert response.status_code == 422
    assert {e["line"] for e in response.json()["errors"]} == {1}


def test_no_file_is_a_422(senior) -> None:
    response = senior.post("/api/v1/people/import", {})
    assert response.status_code == 422


def test_practitioners_and_devices_may_not_import(org, make_staff, staff_client, token_for) -> None:
    practitioner = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    assert post(practitioner, GOOD).status_code == 403
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    response = Client().post(
        "/api/v1/people/import",
        {"file": SimpleUploadedFile("people.csv", GOOD.encode(), "text/csv")},
        headers=bearer(token),
    )
    assert response.status_code == 403
    assert not Person.objects.filter(last_name__startswith="Api").exists()


def test_the_document_describes_the_import(org, make_staff, staff_client) -> None:
    client = staff_client(make_staff(Role.ADMINISTRATOR, org["north"]))
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/people/import"]["post"]
    assert set(operation["responses"]) >= {"200", "401", "403", "422"}
    assert "multipart/form-data" in operation["requestBody"]["content"]
    problem = document["components"]["schemas"]["ImportProblemOut"]
    assert {"line", "column", "message"} <= set(problem["properties"])
