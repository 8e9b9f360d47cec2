"""The licence API: the person reads and confirms; staff issue versions and see who has not confirmed."""

import json

import pytest
from django.test import Client

from onward.api.tests.helpers import bearer, get_json
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.services import ConditionChoice
from onward.people.tests.factories import CommunityPersonFactory, LicenceVersionFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, make_staff):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], preferred_language="cy")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {"practitioner": practitioner, "person": person}


def test_the_person_reads_their_conditions_in_their_language_and_confirms(case, token_for):
    version = LicenceVersionFactory(
        person=case["person"],
        conditions=[
            ConditionChoice(code="no_offence"),
            ConditionChoice(text="Do not keep a dog.", explanation="You cannot have a dog at home."),
        ],
    )
    token = token_for(case["person"])

    status, body = get_json(Client(), "/api/v1/me/licence", token)

    assert status == 200
    assert body["version"] == version.number
    assert body["confirmed_at"] is None
    assert body["conditions"][0] == {
        "kind": "standard",
        "code": "no_offence",
        "text": "Peidio â chyflawni unrhyw drosedd.",
        "explanation": "Peidiwch â thorri'r gyfraith. Os cewch eich cyhuddo o drosedd, gallech fynd yn ôl i'r carchar.",
        "language": "cy",
    }
    assert body["conditions"][1]["language"] == "en"

    response = Client().post(f"/api/v1/me/licence/{version.pk}/confirm", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["confirmed_at"] is not None


def test_a_person_cannot_confirm_another_persons_licence(case, org, token_for):
    other = LicenceVersionFactory(person=CommunityPersonFactory(unit=org["office_n"]))
    response = Client().post(f"/api/v1/me/licence/{other.pk}/confirm", headers=bearer(token_for(case["person"])))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.confirmed_at is None


def test_no_licence_yet_is_a_plain_404(case, token_for):
    status, body = get_json(Client(), "/api/v1/me/licence", token_for(case["person"]))
    assert status == 404
    assert "licence conditions" in body["detail"]


def test_staff_issue_a_version_and_see_it_waiting_for_confirmation(case, staff_client):
    client = staff_client(case["practitioner"])
    payload = {"conditions": [{"code": "no_offence"}, {"code": "curfew", "details": "7pm to 7am"}]}

    response = client.post(
        f"/api/v1/people/{case['person'].pk}/licence", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["text"] for c in body["conditions"]] == [
        "Do not commit any offence.",
        "Stay at your curfew address during your curfew hours: 7pm to 7am.",
    ]
    waiting = client.get("/api/v1/licence/not-confirmed").json()
    assert [(w["person_id"], w["version"]) for w in waiting] == [(case["person"].pk, 1)]


def test_a_condition_missing_its_details_is_a_plain_400(case, staff_client):
    response = staff_client(case["practitioner"]).post(
        f"/api/v1/people/{case['person'].pk}/licence",
        json.dumps({"conditions": [{"code": "curfew"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Add the details" in response.json()["detail"]
    assert not case["person"].licence_versions.exists()


def test_staff_outside_the_case_get_404(case, org, make_staff, staff_client):
    other = make_staff(Role.PRACTITIONER, org["office_s"])
    response = staff_client(other).post(
        f"/api/v1/people/{case['person'].pk}/licence",
        json.dumps({"conditions": [{"code": "no_offence"}]}),
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert not case["person"].licence_versions.exists()


def test_the_catalogue_lists_what_staff_can_choose(case, staff_client):
    entries = staff_client(case["practitioner"]).get("/api/v1/licence/catalogue").json()
    codes = {e["code"]: e for e in entries}
    assert codes["curfew"]["details_label"] == "Curfew hours and address"
    assert codes["no_offence"]["kind"] == "standard"
