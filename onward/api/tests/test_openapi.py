"""The OpenAPI document at /api/v1/openapi.json: it lists every operation, and real answers match it."""

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from onward.accounts.models import DeviceToken
from onward.api.api import api
from onward.api.tests.helpers import bearer
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
PUBLIC_OPERATIONS = {"GET /api/v1/certificates/verify"}  # see PUBLIC_API_ALLOWED in tests/test_architecture.py


def test_the_document_needs_a_signed_in_caller(org, token_for) -> None:
    anonymous = Client().get("/api/v1/openapi.json")
    assert anonymous.status_code == 401
    assert "detail" in anonymous.json()
    person = PersonFactory(unit=org["wing_a"])
    token = token_for(person)
    signed_in = Client().get("/api/v1/openapi.json", headers=bearer(token))
    assert signed_in.status_code == 200
    assert signed_in.json()["info"]["title"] == "Onward API"
    assert Client().post("/api/v1/openapi.json", headers=bearer(token)).status_code == 405


def test_the_document_lists_every_operation(org, make_staff, staff_client) -> None:
    document = _document(staff_client(make_staff(Role.KEY_WORKER, org["ngt"])))
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    registered = set(registered_operations())
    assert registered, "no operations found on the API"
    assert documented == registered


def test_every_documented_operation_declares_its_errors_and_security(org, make_staff, staff_client) -> None:
    document = _document(staff_client(make_staff(Role.KEY_WORKER, org["ngt"])))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert {"401", "403"} <= set(operation["responses"]), where
            if where not in PUBLIC_OPERATIONS:
                assert operation.get("security"), f"{where} documents no way to sign in"
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    schema = answer["content"][JSON]["schema"]
                    assert schema["$ref"].endswith("ValidationErrorOut" if status == "422" else "ErrorOut"), where


def test_real_answers_match_the_documented_schemas(org, make_staff, staff_client, token_for) -> None:
    worker = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Asha", last_name="Patel")
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=worker, role=AssignmentRole.PRACTITIONER)
    LicenceVersionFactory(person=person, number=1)
    custody = PersonFactory(unit=org["wing_a"])  # out of the practitioner's scope
    token = token_for(person)
    staff = staff_client(worker)
    device = Client()
    anonymous = Client()
    document = _document(staff)

    calls: list[tuple[str, str, Any]] = [
        ("GET", "/api/v1/me", device.get("/api/v1/me", headers=bearer(token))),
        ("GET", "/api/v1/me", anonymous.get("/api/v1/me")),
        ("GET", "/api/v1/me", staff.get("/api/v1/me")),
        ("GET", "/api/v1/caseload", staff.get("/api/v1/caseload")),
        ("GET", "/api/v1/caseload", staff.get("/api/v1/caseload", {"status": "gone"})),
        ("GET", "/api/v1/caseload", device.get("/api/v1/caseload", headers=bearer(token))),
        ("GET", "/api/v1/people/{person_id}", staff.get(f"/api/v1/people/{person.pk}")),
        ("GET", "/api/v1/people/{person_id}", staff.get(f"/api/v1/people/{custody.pk}")),
        ("GET", "/api/v1/people/{person_id}", staff.get("/api/v1/people/nobody")),
        (
            "POST",
            "/api/v1/devices",
            device.post("/api/v1/devices", {"name": "Tablet"}, content_type=JSON, headers=bearer(token)),
        ),
        ("POST", "/api/v1/devices", device.post("/api/v1/devices", {}, content_type=JSON, headers=bearer(token))),
        ("POST", "/api/v1/devices", device.post("/api/v1/devices", "{", content_type=JSON, headers=bearer(token))),
        ("GET", "/api/v1/devices", device.get("/api/v1/devices", headers=bearer(token))),
    ]
    tablet = DeviceToken.objects.get(name="Tablet")
    calls.append(
        ("DELETE", "/api/v1/devices/{device_id}", device.delete(f"/api/v1/devices/{tablet.pk}", headers=bearer(token)))
    )

    seen = set()
    for method, path, response in calls:
        answers = document["paths"][path][method.lower()]["responses"]
        status = str(response.status_code)
        assert status in answers, f"{method} {path} answered {status}, which is not documented"
        seen.add(status)
        content = answers[status].get("content")
        if content is None:
            assert response.content == b"", f"{method} {path} {status} should have no body"
            continue
        problems = _validate(response.json(), content[JSON]["schema"], document)
        assert not problems, f"{method} {path} {status}: {problems}"
    assert {"200", "201", "204", "400", "401", "403", "404", "422"} <= seen


def registered_operations() -> list[tuple[str, str]]:
    """Every (method, full path) the API serves, from its bound routers."""
    root = api.get_root_path({}).rstrip("/")
    found = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                found += [(method, root + bound.prefix + path) for method in operation.methods]
    return found


def _document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


# A small JSON Schema check: the parts of the language the generated document uses.
def _validate(value: Any, schema: dict[str, Any], document: dict[str, Any], where: str = "$") -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _validate(value, document["components"]["schemas"][name], document, where)
    if "anyOf" in schema:
        if any(not _validate(value, option, document, where) for option in schema["anyOf"]):
            return []
        return [f"{where}: {value!r} matches none of {schema['anyOf']}"]
    problems: list[str] = []
    kind = schema.get("type")
    if kind is not None and not _is_type(value, kind):
        return [f"{where}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if kind == "string" and schema.get("format") in {"date", "date-time"}:
        parse = date.fromisoformat if schema["format"] == "date" else datetime.fromisoformat
        try:
            parse(value)
        except ValueError:
            problems.append(f"{where}: {value!r} is not a {schema['format']}")
    if kind == "object":
        properties = schema.get("properties", {})
        problems += [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in value]
        problems += [f"{where}: undocumented {key!r}" for key in value if key not in properties]
        for key, sub in properties.items():
            if key in value:
                problems += _validate(value[key], sub, document, f"{where}.{key}")
    if kind == "array":
        for index, item in enumerate(value):
            problems += _validate(item, schema.get("items", {}), document, f"{where}[{index}]")
    return problems


def _is_type(value: Any, kind: str) -> bool:
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
        "null": lambda v: v is None,
    }
    return checks[kind](value)
