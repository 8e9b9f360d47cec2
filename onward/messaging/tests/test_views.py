from typing import Any

import pytest
from django.test import Client

from onward.audit.models import AuditEvent
from onward.messaging.models import Audience, BroadcastDelivery, ContactStatus, Message, MessageState
from onward.messaging.services import (
    broadcast_send,
    contact_approve,
    contact_link_issue,
    conversation_for_person,
    message_send,
)

pytestmark = pytest.mark.django_db


def test_person_inbox_and_conversation_pages(msg_world: dict[str, Any], person_client: Any) -> None:
    w = msg_world
    client = person_client(w["person"])
    inbox = client.get("/me/messages/")
    assert inbox.status_code == 200
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    message_send(actor=w["keyworker"], conversation=conversation, body="Come to room 3 & bring ID, 2 < 3")
    assert "1 new message" in client.get("/me/messages/").content.decode()
    page = client.get(f"/me/messages/{conversation.pk}/").content.decode()
    assert "Come to room 3 &amp; bring ID, 2 &lt; 3" in page
    sent = client.post(f"/me/messages/{conversation.pk}/", {"body": "OK, thank you"})
    assert sent.status_code == 302
    assert Message.objects.filter(body="OK, thank you").exists()
    refused = client.post(f"/me/messages/{conversation.pk}/", {"body": "<script>x</script>"})
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="conversation.view", actor=w["person_user"]).exists()


def test_a_person_cannot_open_another_persons_conversation_page(msg_world: dict[str, Any], person_client: Any) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    client = person_client(w["neighbour"])
    assert client.get(f"/me/messages/{conversation.pk}/").status_code == 403
    assert client.post(f"/me/messages/{conversation.pk}/", {"body": "hi"}).status_code == 403
    assert client.get(f"/staff/messages/{conversation.pk}/").status_code == 403


def test_staff_conversation_and_review_pages(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    held = message_send(actor=w["person_user"], conversation=conversation, body="drop the parcel")
    keyworker = staff_client(w["keyworker"])
    start = keyworker.get(f"/staff/people/{w['person'].pk}/messages/")
    assert start.status_code == 302
    found = keyworker.get("/staff/messages/", {"person": w["person"].prison_number.lower()})
    assert found["Location"] == f"/staff/people/{w['person'].pk}/messages/"
    assert "No one you work with" in keyworker.get("/staff/messages/", {"person": "Z9999ZZ"}).content.decode()
    page = keyworker.get(f"/staff/messages/{conversation.pk}/").content.decode()
    assert "drop the parcel" not in page
    assert keyworker.get("/staff/message-review/").status_code == 403
    security = staff_client(w["security"])
    queue = security.get("/staff/message-review/").content.decode()
    assert "parcel" in queue
    refused = security.post(f"/staff/message-review/{held.pk}/", {"decision": "block", "reason": ""})
    assert refused.status_code == 400
    done = security.post(f"/staff/message-review/{held.pk}/", {"decision": "release"})
    assert done.status_code == 302
    assert "drop the parcel" in keyworker.get(f"/staff/messages/{conversation.pk}/").content.decode()
    assert staff_client(w["other_security"]).get(f"/staff/message-review/{held.pk}/").status_code == 403
    ordinary = message_send(actor=w["keyworker"], conversation=conversation, body="See you at 2")
    assert security.get(f"/staff/message-review/{ordinary.pk}/").status_code == 403


def test_contact_pages_and_the_reply_link(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    security = staff_client(w["security"])
    created = security.post(
        "/staff/contacts/new/",
        {
            "prison_number": w["person"].prison_number,
            "name": "Jo Hughes",
            "relationship": "Sister",
            "email": "jo@example.org",
        },
    )
    assert created.status_code == 302
    assert "Jo Hughes" in security.get("/staff/contacts/").content.decode()
    contact = w["person"].approved_contacts.get()
    issued = contact_link_issue(contact=contact, conversation=contact.conversations.get())
    anonymous = Client()
    assert anonymous.get(issued.path).status_code == 200
    assert anonymous.post(issued.path, {"body": "Hi Dan"}).status_code == 302
    assert Message.objects.get(author_contact=contact).state == MessageState.DELIVERED
    assert anonymous.get("/messages/contact/nonsense/").status_code == 404
    changed = security.post(f"/staff/contacts/{contact.pk}/", {"status": "suspended", "reason": "Investigation"})
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUSPENDED
    assert anonymous.get(issued.path).status_code == 404


def test_broadcast_page_and_the_person_sees_it_marked(
    msg_world: dict[str, Any], staff_client: Any, person_client: Any, make_staff: Any
) -> None:
    from onward.organisations.models import Role

    w = msg_world
    senior = make_staff(Role.SENIOR, w["org"]["ngt"])
    client = staff_client(senior)
    assert client.get("/staff/announcements/new/").status_code == 200
    sent = client.post(
        "/staff/announcements/new/",
        {"audience": Audience.WING, "unit": w["org"]["wing_a"].pk, "title": "Gym closed", "body": "No gym Friday"},
    )
    assert sent.status_code == 302
    assert BroadcastDelivery.objects.count() == 2
    inbox = person_client(w["person"]).get("/me/messages/").content.decode()
    assert "Announcement" in inbox
    assert "Gym closed" in inbox
    assert "Gym closed" not in person_client(w["b_wing"]).get("/me/messages/").content.decode()
    delivery = BroadcastDelivery.objects.get(person=w["person"])
    page = person_client(w["person"]).get(f"/me/messages/announcements/{delivery.pk}/").content.decode()
    assert "cannot reply" in page
    assert person_client(w["neighbour"]).get(f"/me/messages/announcements/{delivery.pk}/").status_code == 404
    assert broadcast_send  # the service is tested in test_services
    assert contact_approve
