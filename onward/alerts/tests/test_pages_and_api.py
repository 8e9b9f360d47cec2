import json
from typing import Any

import pytest
from django.test import Client

from onward.accounts.services import device_token_create, person_account_ensure
from onward.alerts.models import Alert, AlertState
from onward.alerts.services import AlertCause, alert_raise
from onward.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(case: dict[str, Any]) -> Alert:
    person = case["person"]
    return alert_raise(
        kind="checkin_missed",
        person=person,
        key="synthetic:page",
        summary="Synthetic: the check-in due on 2 December was not done.",
        cause=AlertCause("people:person_detail", "Case record", [person.pk]),
    )


def test_the_practitioner_sees_acknowledges_notes_and_closes_on_the_pages(case, alert, staff_client):
    client = staff_client(case["practitioner"])
    listing = client.get("/staff/alerts/")
    body = listing.content.decode()
    assert listing.status_code == 200
    assert f"/staff/alerts/{alert.pk}/" in body
    assert "Missed check-in" in body
    assert 'onward-nav-count">1<' in body  # the count in the menu
    assert client.get("/staff/alerts/?severity=low").content.decode().count(f"/staff/alerts/{alert.pk}/") == 0
    detail = client.get(f"/staff/alerts/{alert.pk}/").content.decode()
    assert f'href="/staff/people/{case["person"].pk}/"' in detail  # what caused it, as a link
    assert client.post(f"/staff/alerts/{alert.pk}/acknowledge/").status_code == 302
    assert client.post(f"/staff/alerts/{alert.pk}/notes/", {"text": "Rang; left a message."}).status_code == 302
    refused = client.post(f"/staff/alerts/{alert.pk}/close/", {"decision": "action_taken", "reason": ""})
    assert refused.status_code == 400
    assert "Give a reason for your decision." in refused.content.decode()
    done = client.post(f"/staff/alerts/{alert.pk}/close/", {"decision": "action_taken", "reason": "Visit booked."})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert (alert.state, alert.decision, alert.reason) == (AlertState.CLOSED, "action_taken", "Visit booked.")
    assert alert.notes.get().text == "Rang; left a message."
    assert "Visit booked." in client.get(f"/staff/alerts/{alert.pk}/").content.decode()
    assert "onward-nav-count" not in client.get("/staff/alerts/").content.decode()


def test_an_empty_note_is_refused_in_plain_words(case, alert, staff_client):
    response = staff_client(case["practitioner"]).post(f"/staff/alerts/{alert.pk}/notes/", {"text": "  "})
    assert response.status_code == 400
    assert "Write a note." in response.content.decode()
    assert not alert.notes.exists()


def test_outsiders_and_people_cannot_open_alerts(case, alert, staff_client, person_client):
    stranger = staff_client(case["stranger"])
    assert stranger.get(f"/staff/alerts/{alert.pk}/").status_code == 404
    assert stranger.post(f"/staff/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert f"/staff/alerts/{alert.pk}/" not in stranger.get("/staff/alerts/?scope=team").content.decode()
    person = person_client(case["person"])
    assert person.get("/staff/alerts/").status_code == 403
    assert person.get(f"/staff/alerts/{alert.pk}/").status_code == 403
    assert person.get("/api/v1/alerts").status_code == 401  # the alerts API takes staff sessions only
    token = device_token_create(actor=person_account_ensure(case["person"]), name="Synthetic phone").token
    assert Client().get("/api/v1/alerts", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert Client().get(f"/api/v1/alerts/{alert.pk}", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_the_api_lists_gets_acknowledges_notes_and_closes(case, alert, staff_client):
    client = staff_client(case["practitioner"])
    listed = client.get("/api/v1/alerts").json()
    assert listed["count"] == 1
    assert listed["alerts"][0]["id"] == alert.pk
    assert listed["alerts"][0]["cause_url"] == f"/staff/people/{case['person'].pk}/"
    assert client.get("/api/v1/alerts?severity=low").json()["count"] == 0
    assert client.get("/api/v1/alerts?scope=team&state=all").json()["count"] == 1
    assert client.get("/api/v1/alerts?severity=dreadful").status_code == 422
    got = client.get(f"/api/v1/alerts/{alert.pk}").json()
    assert (got["state"], got["notes"]) == ("open", [])
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge").json()["state"] == "acknowledged"
    noted = client.post(
        f"/api/v1/alerts/{alert.pk}/notes", json.dumps({"text": "Rang him."}), content_type="application/json"
    )
    assert noted.status_code == 201
    assert [n["text"] for n in noted.json()["notes"]] == ["Rang him."]
    missing_reason = client.post(
        f"/api/v1/alerts/{alert.pk}/close", json.dumps({"decision": "no_action"}), content_type="application/json"
    )
    assert missing_reason.status_code == 422
    closed = client.post(
        f"/api/v1/alerts/{alert.pk}/close",
        json.dumps({"decision": "no_action", "reason": "He was in hospital."}),
        content_type="application/json",
    )
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["decision"]) == ("closed", "no_action")
    again = client.post(
        f"/api/v1/alerts/{alert.pk}/close",
        json.dumps({"decision": "no_action", "reason": "Again."}),
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["detail"] == "This alert is already closed."
    assert AuditEvent.objects.filter(action__startswith="alert.").count() == 4  # raised, ack, noted, closed


def test_the_api_gives_the_same_404_outside_scope_as_for_no_such_alert(case, alert, staff_client):
    client = staff_client(case["stranger"])
    assert client.get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert client.get(f"/api/v1/alerts/{alert.pk + 1000}").status_code == 404
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge").status_code == 404
    assert client.get("/api/v1/alerts?scope=team").json()["count"] == 0


def test_a_release_hands_the_case_over_as_an_alert(case, org, make_staff):
    from onward.core.events import announce
    from onward.people.events import PersonReleased
    from onward.people.tests.factories import PersonFactory

    person = PersonFactory(unit=org["office_n"])
    import datetime as dt

    event = PersonReleased(person=person, actor=None, release_date=dt.date(2026, 12, 1), practitioner=case["colleague"])
    announce(event)
    announce(event)
    alert = Alert.objects.get(person=person)
    assert (alert.kind, alert.assigned_to, alert.key) == (
        "release_handover",
        case["colleague"],
        f"release:{person.pk}:2026-12-01",
    )
    assert person_account_ensure  # the person's account is not told: alerts are for staff
