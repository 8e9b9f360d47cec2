"""Drafts: kept for their author only, put back in the box, deleted by sending and by the retention job;
and a retried send (same key) stores one message."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from onward.accounts.services import device_token_create
from onward.audit.models import AuditEvent
from onward.core.retention import retention_run
from onward.jobs.schedule import periodic_jobs
from onward.messaging.models import Draft, Message
from onward.messaging.selectors import draft_for
from onward.messaging.services import (
    contact_approve,
    contact_link_issue,
    conversation_for_person,
    draft_discard,
    draft_save,
    drafts_expire,
    message_send,
    message_send_by_contact,
)
from onward.messaging.tests.factories import DraftFactory
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def _conversation(w: dict[str, Any]) -> Any:
    return conversation_for_person(actor=w["person_user"], person=w["person"])


def test_a_draft_is_saved_replaced_and_emptied(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    first = draft_save(actor=w["person_user"], conversation=conversation, body="Dear Kim,")
    again = draft_save(actor=w["person_user"], conversation=conversation, body="Dear Kim, about Monday")
    assert first is not None
    assert again is not None
    assert first.pk == again.pk
    assert Draft.objects.get().body == "Dear Kim, about Monday"
    assert draft_save(actor=w["person_user"], conversation=conversation, body="   ") is None
    assert not Draft.objects.exists()


def test_a_draft_is_not_screened_and_may_hold_unfinished_text(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    draft_save(actor=w["person_user"], conversation=conversation, body="the parcel is <")
    assert Draft.objects.get().body == "the parcel is <"
    assert not Message.objects.exists()
    with pytest.raises(ValidationError):
        draft_save(actor=w["person_user"], conversation=conversation, body="x" * 2001)


def test_sending_deletes_the_authors_draft_only(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    draft_save(actor=w["person_user"], conversation=conversation, body="Can I see you?")
    draft_save(actor=w["keyworker"], conversation=conversation, body="Reply later")
    message_send(actor=w["person_user"], conversation=conversation, body="Can I see you?")
    assert list(Draft.objects.values_list("author_user", flat=True)) == [w["keyworker"].pk]


def test_nobody_else_can_read_or_write_a_draft(
    msg_world: dict[str, Any], staff_client: Any, person_client: Any
) -> None:
    w = msg_world
    conversation = _conversation(w)
    draft_save(actor=w["person_user"], conversation=conversation, body="Private words")
    assert draft_for(w["keyworker"], conversation) is None
    keyworker_page = staff_client(w["keyworker"]).get(f"/staff/messages/{conversation.pk}/").content.decode()
    assert "Private words" not in keyworker_page
    assert "Private words" in person_client(w["person"]).get(f"/me/messages/{conversation.pk}/").content.decode()
    with pytest.raises(PermissionDenied):
        draft_save(actor=w["neighbour_user"], conversation=conversation, body="Not mine")
    with pytest.raises(PermissionDenied):
        draft_save(actor=w["security"], conversation=conversation, body="Not mine")
    neighbour = person_client(w["neighbour"])
    assert neighbour.post(f"/me/messages/{conversation.pk}/draft/", {"body": "x"}).status_code == 403
    headers = {"Authorization": f"Bearer {device_token_create(actor=w['neighbour_user'], name='Tablet').token}"}
    assert Client().get(f"/api/v1/conversations/{conversation.pk}/draft", headers=headers).status_code == 404
    assert Draft.objects.get().body == "Private words"


def test_the_page_saves_and_restores_a_draft_without_script(msg_world: dict[str, Any], person_client: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    client = person_client(w["person"])
    saved = client.post(f"/me/messages/{conversation.pk}/", {"body": "Half a message", "action": "save_draft"})
    assert saved.status_code == 302
    page = client.get(f"/me/messages/{conversation.pk}/").content.decode()
    assert "Half a message</textarea>" in page
    assert not Message.objects.exists()
    sent = client.post(f"/me/messages/{conversation.pk}/", {"body": "Half a message", "client_key": "k" * 32})
    assert sent.status_code == 302
    assert not Draft.objects.exists()
    assert "Half a message</textarea>" not in client.get(f"/me/messages/{conversation.pk}/").content.decode()


def test_the_draft_endpoint_for_the_pages_script(msg_world: dict[str, Any], person_client: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    client = person_client(w["person"])
    url = f"/me/messages/{conversation.pk}/draft/"
    answer = client.post(url, {"body": "Typed on the tablet", "base": "0"})
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    assert Draft.objects.get().body == "Typed on the tablet"
    assert client.get(url).status_code == 405
    message_send(actor=w["person_user"], conversation=conversation, body="Typed on the tablet")
    stale = client.post(url, {"body": "Typed on the tablet", "base": "0"})  # a save racing the send
    assert stale.status_code == 409
    assert not Draft.objects.exists()
    too_long = client.post(url, {"body": "x" * 2001})
    assert too_long.status_code == 400
    assert "2000 characters" in too_long.json()["errors"][0]


def test_the_staff_page_keeps_a_staff_draft(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    client = staff_client(w["keyworker"])
    assert client.post(f"/staff/messages/{conversation.pk}/draft/", {"body": "Reply on Monday"}).status_code == 200
    assert "Reply on Monday</textarea>" in client.get(f"/staff/messages/{conversation.pk}/").content.decode()
    assert draft_for(w["person_user"], conversation) is None
    other = staff_client(w["other_security"])
    assert other.post(f"/staff/messages/{conversation.pk}/draft/", {"body": "x"}).status_code == 403


def test_a_contact_keeps_a_draft_across_their_links(msg_world: dict[str, Any], client: Client) -> None:
    w = msg_world
    contact = contact_approve(
        actor=w["security"], person=w["person"], name="Jo Hughes", relationship="Sister", email="jo@example.org"
    )
    conversation = contact.conversations.get()
    first = contact_link_issue(contact=contact, conversation=conversation)
    assert client.post(first.path + "draft/", {"body": "Love from Jo"}).status_code == 200
    second = contact_link_issue(contact=contact, conversation=conversation)
    assert "Love from Jo</textarea>" in client.get(second.path).content.decode()
    no_script = client.post(second.path, {"body": "Love from Jo, see you", "action": "save_draft"})
    assert no_script.status_code == 302
    assert Draft.objects.get(author_contact=contact).body == "Love from Jo, see you"
    assert not Message.objects.exists()
    assert client.post("/messages/contact/not-a-token/draft/", {"body": "x"}).status_code == 404
    message_send_by_contact(link=second.link, body="Love from Jo", client_key="contact-key-1")
    assert not Draft.objects.exists()
    again = message_send_by_contact(link=second.link, body="Love from Jo", client_key="contact-key-1")
    assert Message.objects.filter(author_contact=contact).count() == 1
    assert again.author_contact_id == contact.pk


def test_a_retried_send_with_the_same_key_stores_one_message(msg_world: dict[str, Any], person_client: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    client = person_client(w["person"])
    form = {"body": "Only once please", "client_key": "a1b2c3d4e5f6a7b8"}
    assert client.post(f"/me/messages/{conversation.pk}/", form).status_code == 302
    assert client.post(f"/me/messages/{conversation.pk}/", form).status_code == 302  # the connection dropped
    assert Message.objects.filter(body="Only once please").count() == 1
    assert AuditEvent.objects.filter(action="message.sent").count() == 1
    other = {"body": "Only once please", "client_key": "ffffeeeeddddcccc"}
    assert client.post(f"/me/messages/{conversation.pk}/", other).status_code == 302
    assert Message.objects.filter(body="Only once please").count() == 2


def test_someone_elses_send_key_is_refused(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    message_send(actor=w["person_user"], conversation=conversation, body="Mine", client_key="shared-key-0001")
    with pytest.raises(ValidationError):
        message_send(actor=w["keyworker"], conversation=conversation, body="Theirs", client_key="shared-key-0001")
    with pytest.raises(ValidationError):
        message_send(actor=w["person_user"], conversation=conversation, body="Bad key", client_key="<bad key>")
    assert Message.objects.count() == 1


def test_the_api_gets_saves_and_deletes_a_draft_and_retries_sends(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    client = Client()
    headers = {"Authorization": f"Bearer {device_token_create(actor=w['person_user'], name='Tablet').token}"}
    url = f"/api/v1/conversations/{conversation.pk}/draft"
    assert client.get(url, headers=headers).json() == {"body": "", "updated_at": None}
    put = client.put(url, {"body": "From the app"}, content_type="application/json", headers=headers)
    assert put.status_code == 200
    assert client.get(url, headers=headers).json()["body"] == "From the app"
    refused = client.put(url, {"body": "x", "extra": 1}, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert client.delete(url, headers=headers).status_code == 204
    assert not Draft.objects.exists()
    send = {"body": "Sent from the app", "idempotency_key": "device-key-000001"}
    messages_url = f"/api/v1/conversations/{conversation.pk}/messages"
    first = client.post(messages_url, send, content_type="application/json", headers=headers)
    second = client.post(messages_url, send, content_type="application/json", headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Message.objects.count() == 1
    document = client.get("/api/v1/openapi.json", headers=headers).json()
    draft_path = document["paths"]["/api/v1/conversations/{conversation_id}/draft"]
    assert set(draft_path) == {"get", "put", "delete"}


def test_the_retention_job_deletes_old_drafts(msg_world: dict[str, Any], settings: Any) -> None:
    w = msg_world
    settings.MESSAGING_DRAFT_RETENTION_DAYS = 30
    conversation = _conversation(w)
    draft_save(actor=w["person_user"], conversation=conversation, body="Old words")
    draft_save(actor=w["keyworker"], conversation=conversation, body="Fresh words")
    Draft.objects.filter(author_user=w["person_user"]).update(updated_at=timezone.now() - timedelta(days=31))
    assert retention_run()["message_drafts"] == 1
    assert list(Draft.objects.values_list("body", flat=True)) == ["Fresh words"]
    audited = AuditEvent.objects.filter(action="retention.deleted", reason="message_drafts")
    assert [event.data["deleted"] for event in audited] == [1]
    assert drafts_expire() == {"drafts": 0}
    assert periodic_jobs()["retention_run"].function_path == "onward.core.retention.retention_run"


def test_a_draft_can_be_discarded(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    draft_save(actor=w["person_user"], conversation=conversation, body="Never mind")
    draft_discard(actor=w["person_user"], conversation=conversation)
    assert not Draft.objects.exists()


def test_the_admin_site_never_shows_a_drafts_text(
    msg_world: dict[str, Any], make_staff: Any, staff_client: Any
) -> None:
    w = msg_world
    draft = DraftFactory(body="Words for nobody else")
    admin = staff_client(make_staff(Role.ADMINISTRATOR, w["org"]["north"]))
    listing = admin.get("/admin/messaging/draft/")
    assert listing.status_code == 200
    detail = admin.get(f"/admin/messaging/draft/{draft.pk}/change/")
    assert detail.status_code == 200
    assert "Words for nobody else" not in listing.content.decode() + detail.content.decode()
