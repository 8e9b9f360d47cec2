from typing import Any

import pytest
from django.test import Client

from onward.accounts.services import device_token_create
from onward.messaging.models import Message, MessageState
from onward.messaging.services import conversation_for_person, message_send

pytestmark = pytest.mark.django_db


def _token(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {device_token_create(actor=user, name='Tablet').token}"}


def test_a_person_lists_reads_and_sends_from_their_device(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    message_send(actor=w["keyworker"], conversation=conversation, body="Hello from your key worker")
    client, headers = Client(), _token(w["person_user"])
    listed = client.get("/api/v1/conversations", headers=headers)
    assert listed.status_code == 200
    assert listed.json()[0]["id"] == conversation.pk
    assert listed.json()[0]["unread"] == 1
    read = client.get(f"/api/v1/conversations/{conversation.pk}/messages", headers=headers)
    assert [m["body"] for m in read.json()] == ["Hello from your key worker"]
    sent = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"body": "Thanks, see you soon"},
        content_type="application/json",
        headers=headers,
    )
    assert sent.status_code == 201
    assert sent.json()["state"] == "delivered"
    assert sent.json()["author"] == "me"
    held = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"body": "the parcel"},
        content_type="application/json",
        headers=headers,
    )
    assert held.json()["state"] == "held"
    assert client.get("/api/v1/conversations", headers=headers).json()[0]["unread"] == 0


def test_a_person_cannot_reach_another_persons_conversation(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    client, headers = Client(), _token(w["neighbour_user"])
    assert client.get(f"/api/v1/conversations/{conversation.pk}/messages", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"body": "hello"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_api_input_is_strict_and_refuses_html(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    client, headers = Client(), _token(w["person_user"])
    path = f"/api/v1/conversations/{conversation.pk}/messages"
    extra = client.post(path, {"body": "hi", "state": "delivered"}, content_type="application/json", headers=headers)
    assert extra.status_code == 422
    html = client.post(path, {"body": "<b>hi</b>"}, content_type="application/json", headers=headers)
    assert html.status_code == 400
    assert "between < and >" in html.json()["detail"]
    assert client.get("/api/v1/conversations").status_code == 401


def test_staff_use_the_api_with_their_session(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    message_send(actor=w["person_user"], conversation=conversation, body="Hello")
    message_send(actor=w["person_user"], conversation=conversation, body="the parcel is ready")
    client = staff_client(w["keyworker"])
    listed = client.get("/api/v1/conversations").json()
    assert [(c["id"], c["unread"]) for c in listed] == [(conversation.pk, 1)]
    bodies = [m["body"] for m in client.get(f"/api/v1/conversations/{conversation.pk}/messages").json()]
    assert bodies == ["Hello"]
    assert Message.objects.filter(state=MessageState.HELD).count() == 1
    other = staff_client(w["practitioner"])
    assert other.get(f"/api/v1/conversations/{conversation.pk}/messages").status_code == 404


def test_the_openapi_document_describes_the_messaging_operations(msg_world: dict[str, Any], staff_client: Any) -> None:
    document = staff_client(msg_world["keyworker"]).get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert set(paths["/api/v1/conversations"]) == {"get"}
    assert set(paths["/api/v1/conversations/{conversation_id}/messages"]) == {"get", "post"}
    post = paths["/api/v1/conversations/{conversation_id}/messages"]["post"]
    assert {"201", "400", "401", "403", "404", "422"} <= set(post["responses"])
    assert document["components"]["schemas"]["MessageIn"]["additionalProperties"] is False
