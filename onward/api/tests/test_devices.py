"""/api/v1/devices: a person adds a phone or tablet, lists them, and stops one signing in."""

import pytest
from django.test import Client

from onward.accounts.models import DeviceToken
from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def test_person_adds_a_device_from_their_session_and_the_token_signs_it_in(org, person_client) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    response = person_client(person).post("/api/v1/devices", {"name": "  My phone "}, content_type="application/json")

    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "My phone"
    assert created["token"].startswith("onw_")
    record = DeviceToken.objects.get(pk=created["id"])
    assert record.user.person_id == person.pk
    assert created["token"] not in record.token_digest  # only a digest is kept
    assert AuditEvent.objects.filter(action="account.device_token_created", person=person).exists()

    me = Client().get("/api/v1/me", headers=bearer(created["token"]))
    assert me.status_code == 200
    assert me.json()["id"] == person.pk


def test_the_list_shows_own_active_devices_without_tokens(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    someone_else = CommunityPersonFactory(unit=org["office_n"])
    token = token_for(person, "Phone")
    token_for(person, "Old tablet")
    token_for(someone_else, "Their phone")
    DeviceToken.objects.filter(user__person=person, name="Old tablet").update(revoked_at="2025-01-01T00:00:00Z")

    response = Client().get("/api/v1/devices", headers=bearer(token))

    assert response.status_code == 200
    devices = response.json()
    assert [d["name"] for d in devices] == ["Phone"]
    assert set(devices[0]) == {"id", "name", "created_at", "last_used_at"}
    assert devices[0]["last_used_at"] is not None  # this call used it


def test_a_revoked_token_is_refused_on_the_next_call(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    token = token_for(person)
    device = DeviceToken.objects.get(user__person=person)
    client = Client()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    revoked = client.delete(f"/api/v1/devices/{device.pk}", headers=bearer(token))

    assert revoked.status_code == 204
    assert revoked.content == b""
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    device.refresh_from_db()
    assert device.revoked_at is not None
    event = AuditEvent.objects.get(action="account.device_token_revoked", person=person)
    assert event.actor_role == "person"


def test_revoking_from_another_device_and_twice(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    phone = token_for(person, "Phone")
    lost_tablet = token_for(person, "Lost tablet")
    tablet = DeviceToken.objects.get(user__person=person, name="Lost tablet")
    client = Client()

    assert client.delete(f"/api/v1/devices/{tablet.pk}", headers=bearer(phone)).status_code == 204
    assert client.delete(f"/api/v1/devices/{tablet.pk}", headers=bearer(phone)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(lost_tablet)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(phone)).status_code == 200
    assert AuditEvent.objects.filter(action="account.device_token_revoked", person=person).count() == 1


def test_a_person_cannot_revoke_someone_elses_device(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    other = CommunityPersonFactory(unit=org["office_n"])
    mine = token_for(person)
    theirs = token_for(other)
    their_device = DeviceToken.objects.get(user__person=other)
    client = Client()

    response = client.delete(f"/api/v1/devices/{their_device.pk}", headers=bearer(mine))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    their_device.refresh_from_db()
    assert their_device.revoked_at is None
    assert client.get("/api/v1/me", headers=bearer(theirs)).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Phone", "colour": "red"}, "colour"),
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Phone\nwith a line break"}, "name"),
        ({"name": 12}, "name"),
        ([], ""),
    ],
)
def test_device_input_is_strict(org, token_for, body, field: str) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    token = token_for(person)
    response = Client().post("/api/v1/devices", body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [("body", field)]
    assert DeviceToken.objects.filter(user__person=person).count() == 1


def test_a_body_that_is_not_json_gets_400(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    response = Client().post(
        "/api/v1/devices", "name=Phone", content_type="application/json", headers=bearer(token_for(person))
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body must be JSON")


def test_staff_cannot_use_the_device_routes(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.PRACTITIONER, org["office_n"])
    client = staff_client(worker)
    assert client.post("/api/v1/devices", {"name": "x"}, content_type="application/json").status_code == 403
    assert client.get("/api/v1/devices").status_code == 403
    assert not DeviceToken.objects.exists()
