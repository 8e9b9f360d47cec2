"""The resettlement API: the person's plan, to-dos and requests by device token; staff read and assess a
plan and answer requests at their prisons; another person's things are a 404."""

import json
from typing import Any

import pytest

from onward.accounts.services import person_account_ensure
from onward.api.tests.helpers import bearer, get_json
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from onward.resettlement.models import PrisonRequest
from onward.resettlement.services import action_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    person = PersonFactory(unit=org["wing_a"])
    other = PersonFactory(unit=org["wing_a"])
    pom = make_staff(Role.POM, org["ngt"])
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    return {"person": person, "other": other, "pom": pom, "outsider": make_staff(Role.POM, org["stn"])}


def _post(client: Any, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=bearer(token) if token else {})


def test_staff_assess_and_the_person_reads_and_ticks_their_plan(world, client, staff_client, token_for):
    staff = staff_client(world["pom"])
    person = world["person"]
    answer = _post(staff, f"/api/v1/people/{person.pk}/plan/assessments", {"kind": "reception", "needs": ["no_cv"]})
    assert answer.status_code == 200, answer.content
    plan = answer.json()
    assert [n["code"] for n in plan["needs"]] == ["no_cv"]
    assert {i["code"] for i in plan["checklist"] if not i["done"]} >= {"practitioner", "appointment"}
    bad = _post(staff, f"/api/v1/people/{person.pk}/plan/assessments", {"kind": "weekly", "needs": []})
    assert bad.status_code == 400

    token = token_for(person)
    added = _post(client, "/api/v1/me/plan/todos", {"text": "Ask about the gym"}, token)
    assert added.status_code == 200
    status, mine = get_json(client, "/api/v1/me/plan", token)
    assert status == 200
    assert [a["text"] for a in mine["mine"]] == ["Ask about the gym"]
    assert mine["needs"][0]["words"] == "Write your CV"
    ticked = _post(client, f"/api/v1/me/plan/actions/{added.json()['id']}", {"done": True}, token)
    assert ticked.json()["done_at"] is not None


def test_a_person_cannot_reach_another_persons_action_or_request(world, client, token_for):
    theirs = action_add(actor=person_account_ensure(world["other"]), person=world["other"], text="Theirs")
    token = token_for(world["person"])
    assert _post(client, f"/api/v1/me/plan/actions/{theirs.pk}", {"done": True}, token).status_code == 404
    other_token = token_for(world["other"])
    made = _post(client, "/api/v1/me/requests", {"kind": "visits", "text": "Visit"}, other_token).json()
    assert get_json(client, f"/api/v1/me/requests/{made['id']}", token)[0] == 404
    assert get_json(client, f"/api/v1/people/{world['other'].pk}/plan", token)[0] == 403


def test_a_request_made_twice_with_one_key_is_one_request_and_staff_answer_it(world, client, staff_client, token_for):
    staff = staff_client(world["pom"])
    token = token_for(world["person"])
    body = {"kind": "money", "text": "Send £20 to my daughter", "idempotency_key": "same-tap"}
    first = _post(client, "/api/v1/me/requests", body, token).json()
    second = _post(client, "/api/v1/me/requests", body, token).json()
    assert first["id"] == second["id"]
    assert PrisonRequest.objects.count() == 1
    assert first["department"] == "Finance"
    queue = staff.get("/api/v1/requests").json()
    assert [r["id"] for r in queue] == [first["id"]]
    replied = _post(staff, f"/api/v1/requests/{first['id']}/reply", {"text": "Done, it goes today."})
    assert replied.json()["state"] == "answered"
    _status, seen = get_json(client, f"/api/v1/me/requests/{first['id']}", token)
    assert [e["kind"] for e in seen["history"]] == ["submitted", "replied"]


def test_staff_at_another_prison_neither_see_nor_answer_a_request(world, client, staff_client, token_for):
    made = _post(client, "/api/v1/me/requests", {"kind": "visits", "text": "Visit"}, token_for(world["person"])).json()
    outsider = staff_client(world["outsider"])
    assert outsider.get("/api/v1/requests").json() == []
    assert _post(outsider, f"/api/v1/requests/{made['id']}/reply", {"text": "x"}).status_code == 404
