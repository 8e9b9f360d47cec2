"""Requests' pages: the person makes one and reads its history; prison staff take it on and answer."""

import pytest

from onward.resettlement.models import PrisonRequest, RequestState

pytestmark = pytest.mark.django_db


def test_the_person_makes_a_request_staff_answer_and_the_person_reads_the_answer(
    plan_world, person_client, staff_client
):
    person_side = person_client(plan_world["person"])
    form = person_side.get("/me/requests/").content.decode()
    assert "Make a request" in form
    sent = person_side.post(
        "/me/requests/", {"kind": "property", "text": "My trainers from reception", "idempotency_key": "k1"}
    )
    assert sent.status_code == 302
    again = person_side.post(
        "/me/requests/", {"kind": "property", "text": "My trainers from reception", "idempotency_key": "k1"}
    )
    assert again.status_code == 302
    made = PrisonRequest.objects.get()
    assert made.department.name == "Reception and property"

    staff_side = staff_client(plan_world["keyworker"])
    queue = staff_side.get("/staff/requests/").content.decode()
    assert "My trainers from reception" in queue
    staff_side.post(f"/staff/requests/{made.pk}/", {"action": "assign"})
    staff_side.post(f"/staff/requests/{made.pk}/", {"action": "reply", "text": "They are on their way to your wing."})
    made.refresh_from_db()
    assert made.state == RequestState.ANSWERED

    page = person_side.get(f"/me/requests/{made.pk}/").content.decode()
    assert "They are on their way to your wing." in page
    assert "Someone is looking at it" in page


def test_an_empty_request_is_refused_and_nothing_is_made(plan_world, person_client):
    response = person_client(plan_world["person"]).post("/me/requests/", {"kind": "visits", "text": ""})
    assert response.status_code == 400
    assert "Write what you are asking for." in response.content.decode()
    assert not PrisonRequest.objects.exists()


def test_the_person_withdraws_a_request(plan_world, person_client):
    client = person_client(plan_world["person"])
    client.post("/me/requests/", {"kind": "money", "text": "Send £10 to my mum"})
    made = PrisonRequest.objects.get()
    client.post(f"/me/requests/{made.pk}/withdraw/")
    made.refresh_from_db()
    assert made.state == RequestState.WITHDRAWN


def test_staff_elsewhere_cannot_open_a_request(plan_world, person_client, staff_client):
    person_client(plan_world["person"]).post("/me/requests/", {"kind": "money", "text": "Canteen"})
    made = PrisonRequest.objects.get()
    assert staff_client(plan_world["outsider"]).get(f"/staff/requests/{made.pk}/").status_code == 403
    assert person_client(plan_world["other"]).get(f"/me/requests/{made.pk}/").status_code == 404
