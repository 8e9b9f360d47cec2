"""A caller who may not use an operation is refused (403) before anything they sent is read or validated, and
a body that cannot be read answers the API's JSON 400 (never a 500 or an HTML page)."""

import pytest
from django.test import Client

from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_phone(org, token_for):
    person = CommunityPersonFactory(unit=org["office_n"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/people", {"surname": 7}),  # a staff operation, a body of the wrong shape
        ("patch", "/api/v1/people/99999999999999", {"date_of_birth": "not a date"}),
        ("post", "/api/v1/alerts/0/close", {"decision": ["?"]}),  # a path id the schema refuses too
    ],
)
def test_a_person_is_refused_before_their_input_is_validated(person_phone, method, path, body):
    response = getattr(person_phone, method)(path, data=body, content_type="application/json")
    assert response.status_code == 403, response.content[:300]
    assert response.json() == {"detail": "You do not have permission to do this."}


def test_staff_are_refused_a_persons_operation_before_validation(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    response = client.put(
        "/api/v1/me/check-ins/0/answers", data={"answers": "not a map"}, content_type="application/json"
    )
    assert response.status_code == 403, response.content[:300]


def test_the_permitted_caller_still_gets_the_validation_errors(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    response = client.post("/api/v1/people", data={"surname": 7}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"x" * 4096, "application/json"),  # over the (lowered) limit
        (b"a=" + b"b" * 4096, "application/x-www-form-urlencoded"),
        (b"&".join(b"f%d=1" % n for n in range(50)), "application/x-www-form-urlencoded"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b"--x\r\nbroken", "multipart/form-data"),
    ],
)
def test_an_unreadable_or_too_large_body_answers_json_400(person_phone, settings, body, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    response = person_phone.post("/api/v1/devices", data=body, content_type=content_type)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
