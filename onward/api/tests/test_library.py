"""The library API: a person reads what is aimed at them in their language, saves and rates; editors write,
and a second editor approves anything for custody."""

import json
from typing import Any

import pytest
from django.test import Client

from onward.api.tests.helpers import bearer, get_json
from onward.library import services
from onward.library.models import Audience, ItemState, Rating
from onward.library.tests.factories import TopicFactory, published_item
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(org, make_staff):
    return make_staff(Role.CONTENT_EDITOR, org["north"]), make_staff(Role.CONTENT_EDITOR, org["north"])


def test_a_person_searches_reads_in_welsh_saves_and_rates(org, editors, token_for):
    editor, approver = editors
    topic = TopicFactory(slug="money", name="Money", name_cy="Arian")
    welsh = services.TextIn(title="Sut i agor cyfrif banc", body="## Beth sydd ei angen\n\nID")
    item = published_item(editor, None, "How to open a bank account", welsh=welsh, topics=(topic,))
    published_item(editor, approver, "Custody only", audience=Audience.CUSTODY)
    person = CommunityPersonFactory(unit=org["office_n"], preferred_language="cy")
    token = token_for(person)
    client = Client()

    status, body = get_json(client, "/api/v1/library/items", token, q="cyfrif bnac")
    assert status == 200
    assert [(i["title"], i["language"]) for i in body] == [("Sut i agor cyfrif banc", "cy")]
    status, body = get_json(client, "/api/v1/library/items", token)
    assert [i["title"] for i in body] == ["Sut i agor cyfrif banc"]  # never the custody item
    assert get_json(client, "/api/v1/library/topics", token)[1] == [{"slug": "money", "name": "Arian"}]

    status, body = get_json(client, f"/api/v1/library/items/{item.pk}", token)
    assert status == 200
    assert '<h3 class="govuk-heading-m">Beth sydd ei angen</h3>' in body["body_html"]
    assert body["saved"] is False

    response = client.post(f"/api/v1/library/items/{item.pk}/save", headers=bearer(token))
    assert response.json()["saved"] is True
    response = client.post(
        f"/api/v1/library/items/{item.pk}/rating",
        json.dumps({"helped": False, "reason": "Too short"}),
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.json()["helped"] is False
    assert Rating.objects.get().reason == "Too short"


def test_a_custody_item_is_404_to_a_person_in_the_community(org, editors, token_for):
    editor, approver = editors
    item = published_item(editor, approver, "Custody only", audience=Audience.CUSTODY)
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    assert get_json(Client(), f"/api/v1/library/items/{item.pk}", token)[0] == 404
    inside = token_for(PersonFactory(unit=org["wing_a"]))
    assert get_json(Client(), f"/api/v1/library/items/{item.pk}", inside)[0] == 200


def test_editors_write_and_a_second_editor_approves_through_the_api(org, editors, staff_client):
    editor, approver = editors
    client = staff_client(editor)
    payload = {
        "english": {"title": "Visits", "body": "Book a visit."},
        "audience": "custody",
        "all_prisons": False,
        "prison_ids": [org["ngt"].pk],
    }
    response = client.post("/api/v1/library/editor/items", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    assert response.json()["needs_approval"] is True

    def act(c: Client, action: str) -> Any:
        return c.post(f"/api/v1/library/editor/items/{item_id}/{action}", "{}", content_type="application/json")

    assert act(client, "publish").status_code == 403
    assert act(client, "submit").json()["state"] == ItemState.IN_REVIEW
    assert act(client, "approve").status_code == 403
    assert act(staff_client(approver), "approve").json()["approved"] is True
    published = act(client, "publish").json()
    assert published["state"] == ItemState.PUBLISHED
    assert published["live"] is True


def test_people_and_other_staff_cannot_use_the_editor_api(org, make_staff, staff_client, token_for):
    payload = json.dumps({"english": {"title": "X", "body": "Y"}, "audience": "community"})
    key_worker = staff_client(make_staff(Role.KEY_WORKER, org["ngt"]))
    assert key_worker.post("/api/v1/library/editor/items", payload, content_type="application/json").status_code == 403
    token = token_for(PersonFactory(unit=org["wing_a"]))
    response = Client().post(
        "/api/v1/library/editor/items", payload, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 403
    assert get_json(key_worker, "/api/v1/library/items")[0] == 403
