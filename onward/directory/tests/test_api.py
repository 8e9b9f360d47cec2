"""The directory's API: a person's phone searches near a postcode; editors add and change entries."""

import pytest
from django.test import Client

from onward.api.tests.helpers import bearer, get_json
from onward.audit.models import AuditEvent
from onward.directory.models import Category, Service, ServiceState
from onward.directory.tests.factories import ServiceFactory, position
from onward.location.postcodes import postcode_locate
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db

NEW_ENTRY = {
    "name": "Kirk Lane Larder",
    "category": "food",
    "description": "Food for anyone who needs it.\r\nNo referral needed.",
    "description_cy": "Bwyd i unrhyw un sydd ei angen.",
    "address": "Kirk Lane, Northgate",
    "postcode": "LS1 4AP",
    "phone": "0113 496 0555",
    "opening_periods": [
        {"weekday": 0, "opens": "09:00", "closes": "17:00"},
        {"weekday": 4, "opens": "20:00", "closes": "02:00"},
    ],
    "opening_exceptions": [{"date": "2030-12-25", "closed": True, "note": "Christmas Day"}],
}


@pytest.fixture
def community(org):
    return CommunityPersonFactory(unit=org["office_n"], address_latitude=53.7965, address_longitude=-1.5478)


def test_a_phone_searches_near_a_postcode_nearest_first(community, token_for):
    home = postcode_locate("LS1 4AP")
    ServiceFactory(name="Far", **position(6000, 0))
    ServiceFactory(name="Near", **position(0, 0))
    ServiceFactory(name="Gone", state=ServiceState.WITHDRAWN, withdrawn_reason="Closed", **position(0, 0))
    status, body = get_json(Client(), "/api/v1/me/services", token_for(community), postcode="LS1 4AP")
    assert status == 200
    assert [s["name"] for s in body] == ["Near", "Far"]
    assert body[0]["distance_m"] < body[1]["distance_m"]
    assert body[0]["opening_periods"][0] == {"weekday": 0, "opens": "09:00:00", "closes": "17:00:00"}
    assert isinstance(body[0]["open_now"], bool)
    assert body[0]["opening_status"]
    assert home.postcode == "LS1 4AP"


def test_a_phone_searches_near_its_position_or_home(community, token_for):
    ServiceFactory(name="Here", **position(0, 0))
    token = token_for(community)
    status, body = get_json(Client(), "/api/v1/me/services", token, latitude=53.7965, longitude=-1.5478)
    assert (status, [s["name"] for s in body]) == (200, ["Here"])
    assert body[0]["distance_m"] < 100
    status, body = get_json(Client(), "/api/v1/me/services", token, near_home="true")
    assert (status, [s["name"] for s in body]) == (200, ["Here"])
    status, body = get_json(Client(), "/api/v1/me/services", token, latitude=53.7965)
    assert status == 400


def test_an_unknown_postcode_is_a_plain_400(community, token_for):
    status, body = get_json(Client(), "/api/v1/me/services", token_for(community), postcode="LS6 0QQ")
    assert status == 400
    assert "We could not find the postcode LS6 0QQ" in body["detail"]


def test_a_phone_reads_one_published_entry_but_not_a_withdrawn_one(community, token_for):
    live = ServiceFactory(name="Live")
    gone = ServiceFactory(name="Gone", state=ServiceState.WITHDRAWN, withdrawn_reason="Closed")
    token = token_for(community)
    status, body = get_json(Client(), f"/api/v1/me/services/{live.pk}", token)
    assert (status, body["name"], body["distance_m"]) == (200, "Live", None)
    assert get_json(Client(), f"/api/v1/me/services/{gone.pk}", token)[0] == 404


def test_a_person_cannot_edit_through_the_api(community, token_for):
    response = Client().post(
        "/api/v1/directory", NEW_ENTRY, content_type="application/json", headers=bearer(token_for(community))
    )
    assert response.status_code in (401, 403)
    assert not Service.objects.exists()


def test_an_editor_adds_changes_and_withdraws_an_entry(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    response = client.post("/api/v1/directory", NEW_ENTRY, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["category"] == "food"
    assert created["latitude"] is not None
    assert created["last_checked_on"] is not None
    assert created["opening_exceptions"] == [
        {"date": "2030-12-25", "closed": True, "opens": None, "closes": None, "note": "Christmas Day"}
    ]
    service_id = created["id"]
    changed = {**NEW_ENTRY, "name": "Kirk Lane Community Larder", "opening_periods": []}
    response = client.put(f"/api/v1/directory/{service_id}", changed, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["name"] == "Kirk Lane Community Larder"
    assert response.json()["opening_status"] == "Ask them for opening times"
    response = client.post(f"/api/v1/directory/{service_id}/withdraw", {"reason": ""}, content_type="application/json")
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/directory/{service_id}/withdraw", {"reason": "Closed"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["state"]) == (200, "withdrawn")
    assert (
        client.post(
            f"/api/v1/directory/{service_id}/withdraw", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    status, body = get_json(client, "/api/v1/directory", include_withdrawn="true")
    assert (status, [s["state"] for s in body]) == (200, ["withdrawn"])
    assert client.post(f"/api/v1/directory/{service_id}/publish").json()["state"] == "published"
    assert client.post(f"/api/v1/directory/{service_id}/checked").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"directory.service_created", "directory.service_updated", "directory.service_withdrawn"} <= actions


def test_an_editor_gets_a_plain_answer_for_a_bad_postcode(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    response = client.post("/api/v1/directory", {**NEW_ENTRY, "postcode": "LS6 0QQ"}, content_type="application/json")
    assert response.status_code == 400
    assert "We could not find the postcode LS6 0QQ" in response.json()["detail"]


def test_other_staff_search_but_cannot_edit(org, make_staff, staff_client):
    ServiceFactory(name="Pantry", category=Category.FOOD)
    gone = ServiceFactory(name="Gone", state=ServiceState.WITHDRAWN, withdrawn_reason="Closed")
    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    status, body = get_json(client, "/api/v1/directory", include_withdrawn="true")
    assert (status, [s["name"] for s in body]) == (200, ["Pantry"])
    assert get_json(client, f"/api/v1/directory/{gone.pk}")[0] == 404
    assert client.post("/api/v1/directory", NEW_ENTRY, content_type="application/json").status_code == 403
    assert client.post(f"/api/v1/directory/{gone.pk}/publish").status_code == 403


def test_the_openapi_document_describes_the_directory(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/me/services",
        "/api/v1/me/services/{service_id}",
        "/api/v1/directory",
        "/api/v1/directory/{service_id}",
    ):
        assert path in paths, path
    assert {"get", "put"} <= set(paths["/api/v1/directory/{service_id}"])
