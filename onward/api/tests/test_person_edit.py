"""POST /api/v1/people and PATCH /api/v1/people/{id}: the same checks as the pages, 422 naming the field."""

import json
from typing import Any

import pytest
from django.test import Client

from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def _payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "first_name": "Synthetic",
        "last_name": "Apicreated",
        "date_of_birth": "1990-05-06",
        "crn": "X800001",
        "status": "licence",
        "unit_code": "OFF-N",
        "address_line_1": "21 Quarry Street",
        "postcode": "LS1 3ED",
        "phone": "+44 7700 900123",
        "hdc_actual_date": "",
        "parole_eligibility_date": "",
    }
    payload.update(overrides)
    return payload


def _post(client: Client, payload: dict[str, Any], **headers: Any) -> Any:
    return client.post("/api/v1/people", json.dumps(payload), content_type="application/json", **headers)


def _patch(client: Client, person_id: int, payload: dict[str, Any]) -> Any:
    return client.patch(f"/api/v1/people/{person_id}", json.dumps(payload), content_type="application/json")


def test_a_practitioner_adds_a_person(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    response = _post(staff_client(practitioner), _payload())
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(crn="X800001")
    assert body["id"] == person.pk
    assert body["address_parts"]["postcode"] == "LS1 3ED"
    assert body["address_parts"]["precision"] == "postcode centre, about 100 m"
    assert body["contact"] == {"phone": "07700900123", "phone_verified": False, "email": "", "email_verified": False}
    assert AuditEvent.objects.filter(action="person.created", person=person).count() == 1


def test_bad_details_answer_422_naming_each_field(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    existing = CommunityPersonFactory(crn="X800001", unit=org["office_n"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    response = _post(staff_client(practitioner), _payload(unit_code="NOPE", sentence_date="2020-13-01"))
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(fields) == {"crn", "unit_code", "sentence_date"}
    assert "X800001" in fields["crn"]
    assert Person.objects.filter(crn="X800001").get() == existing


def test_unknown_fields_are_refused(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    response = _post(staff_client(practitioner), _payload(nickname="Syn"))
    assert response.status_code == 422


def test_adding_outside_the_callers_area_is_refused(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_s"])
    assert _post(staff_client(practitioner), _payload()).status_code == 403
    assert not Person.objects.filter(crn="X800001").exists()


def test_a_patch_changes_only_what_is_sent(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], risk_level="low")
    client = staff_client(practitioner)
    response = _patch(client, person.pk, {"risk_level": "high", "rotl_eligibility_date": "", "reason": "Review"})
    assert response.status_code == 200, response.json()
    assert response.json()["risk_level"] == "high"
    event = AuditEvent.objects.get(action="person.updated", person=person)
    assert event.data == {"before": {"risk_level": "low"}, "after": {"risk_level": "high"}}
    assert event.reason == "Review"
    again = _patch(client, person.pk, {"risk_level": "high"})
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="person.updated", person=person).count() == 1
    bad = _patch(client, person.pk, {"licence_expiry_date": "1999-01-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "licence_expiry_date"


def test_a_patch_outside_the_callers_area_is_404(org: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    elsewhere = CommunityPersonFactory(unit=org["office_s"], risk_level="low")
    client = staff_client(practitioner)
    assert _patch(client, elsewhere.pk, {"risk_level": "high"}).status_code == 404
    assert _patch(client, elsewhere.pk + 1000, {"risk_level": "high"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.risk_level == "low"


def test_a_person_can_neither_add_nor_change(org: dict[str, Any], token_for: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], risk_level="low")
    headers = bearer(token_for(person))
    assert _post(Client(), _payload(), headers=headers).status_code == 403
    response = Client().patch(
        f"/api/v1/people/{person.pk}",
        json.dumps({"risk_level": "high"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.risk_level == "low"
