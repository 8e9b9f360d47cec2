"""Opening a messages page only reads: no conversation, participant or other row is stored by a GET (a GET may
audit the read). The first message sent starts the conversation."""

from typing import Any

import pytest

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.messaging.models import Conversation, Message, Participant

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Conversation.objects.count(), Participant.objects.count(), Message.objects.count()


def test_staff_opening_a_persons_messages_page_stores_no_conversation(msg_world: dict[str, Any], staff_client):
    client = staff_client(msg_world["keyworker"])
    person = msg_world["person"]
    before = _counts()
    for _ in range(2):
        page = client.get(f"/staff/people/{person.pk}/messages/")
        assert page.status_code == 200
        assert "No messages yet" in page.content.decode()
    assert _counts() == before
    assert not AuditEvent.objects.filter(action=AuditAction.CONVERSATION_STARTED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_VIEW_FOR_MESSAGES, person=person).count() == 2

    first = {"body": "Synthetic first message", "client_key": "k" * 32}
    sent = client.post(f"/staff/people/{person.pk}/messages/", first)
    conversation = Conversation.objects.get(person=person)
    assert sent.status_code == 302
    assert sent["Location"] == f"/staff/messages/{conversation.pk}/"
    assert conversation.messages.get().body == "Synthetic first message"
    assert client.get(f"/staff/people/{person.pk}/messages/")["Location"] == f"/staff/messages/{conversation.pk}/"


def test_a_person_opening_their_messages_stores_no_conversation(msg_world: dict[str, Any], person_client):
    client = person_client(msg_world["person"])
    before = _counts()
    inbox = client.get("/me/messages/")
    start = client.get("/me/messages/staff/")
    assert inbox.status_code == start.status_code == 200
    assert "/me/messages/staff/" in inbox.content.decode()
    assert _counts() == before

    sent = client.post("/me/messages/staff/", {"body": "Synthetic question", "client_key": "p" * 32})
    conversation = Conversation.objects.get(person=msg_world["person"])
    assert sent["Location"] == f"/me/messages/{conversation.pk}/"
    # Their key worker is in it, so the message reaches them.
    assert conversation.participants.filter(user=msg_world["keyworker"], left_at__isnull=True).exists()
    assert client.get("/me/messages/staff/")["Location"] == f"/me/messages/{conversation.pk}/"
    assert f"/me/messages/{conversation.pk}/" in client.get("/me/messages/").content.decode()


def test_the_first_message_is_checked_like_any_other(msg_world: dict[str, Any], person_client):
    client = person_client(msg_world["person"])
    answer = client.post("/me/messages/staff/", {"body": ""})
    assert answer.status_code == 400
    assert "Write your message" in answer.content.decode()
    assert not Conversation.objects.exists()


def test_a_draft_with_words_starts_the_conversation_an_empty_one_does_not(msg_world: dict[str, Any], person_client):
    from onward.messaging.models import Draft

    client = person_client(msg_world["person"])
    assert client.post("/me/messages/staff/draft/", {"body": "  "}).json() == {"saved": False, "updated_at": None}
    assert not Conversation.objects.exists()
    saved = client.post("/me/messages/staff/draft/", {"body": "Half a synthetic message"}).json()
    assert saved["saved"] is True
    conversation = Conversation.objects.get(person=msg_world["person"])
    assert Draft.objects.get(conversation=conversation).body == "Half a synthetic message"
    assert client.get("/me/messages/staff/")["Location"] == f"/me/messages/{conversation.pk}/"
