from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from onward.audit.models import AuditEvent
from onward.messaging.attachments import attachment_prepare
from onward.messaging.models import (
    MESSAGE_TRANSITIONS,
    Audience,
    BroadcastDelivery,
    ContactLink,
    Conversation,
    FlagKind,
    Message,
    MessageState,
    ScreeningPolicy,
)
from onward.messaging.selectors import (
    contact_conversation_messages,
    conversation_get,
    conversation_messages,
    conversations_for,
    review_queue,
    unread_total,
)
from onward.messaging.services import (
    broadcast_send,
    contact_approve,
    contact_bar,
    contact_link_issue,
    contact_link_resolve,
    contact_suspend,
    conversation_for_person,
    message_block,
    message_flag_clear,
    message_release,
    message_send,
    message_send_by_contact,
    messages_mark_read,
)
from onward.notifications.models import OutboxMessage
from onward.people.models import AssignmentRole, Status
from onward.people.services import ReleaseDetails, person_release
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _conversation(w: dict[str, Any]) -> Conversation:
    return conversation_for_person(actor=w["person_user"], person=w["person"])


def test_every_state_in_the_transition_table_is_a_state() -> None:
    assert set(MESSAGE_TRANSITIONS) == set(MessageState.values)
    for targets in MESSAGE_TRANSITIONS.values():
        assert targets <= set(MessageState.values)


def test_a_person_writes_to_their_key_worker_who_reads_it(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    message = message_send(actor=w["person_user"], conversation=conversation, body="Can I see you on Monday?")
    assert message.state == MessageState.DELIVERED
    assert {p.user_id for p in conversation.participants.all()} == {w["person_user"].pk, w["keyworker"].pk}
    entries = conversations_for(w["keyworker"])
    assert [(e.conversation.pk, e.unread) for e in entries] == [(conversation.pk, 1)]
    seen = conversation_messages(w["keyworker"], conversation_get(w["keyworker"], conversation.pk))
    assert [m.body for m in seen] == ["Can I see you on Monday?"]
    messages_mark_read(actor=w["keyworker"], conversation=conversation, messages=seen)
    assert unread_total(w["keyworker"]) == 0
    notice = OutboxMessage.objects.get(user=w["keyworker"])
    assert "Monday" not in notice.body
    assert "Monday" not in notice.subject
    assert AuditEvent.objects.filter(action="message.sent", person=w["person"]).exists()
    assert AuditEvent.objects.filter(action="conversation.view", actor=w["keyworker"]).exists()


def test_a_person_never_reads_another_persons_conversation(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    message_send(actor=w["keyworker"], conversation=conversation, body="See you Monday")
    with pytest.raises(PermissionDenied):
        conversation_get(w["neighbour_user"], conversation.pk)
    with pytest.raises(PermissionDenied):
        message_send(actor=w["neighbour_user"], conversation=conversation, body="hello")
    assert conversations_for(w["neighbour_user"]) == []
    with pytest.raises(PermissionDenied):
        conversation_for_person(actor=w["neighbour_user"], person=w["person"])


def test_staff_outside_the_caseload_cannot_read(msg_world: dict[str, Any], make_staff: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    with pytest.raises(PermissionDenied):
        conversation_get(w["practitioner"], conversation.pk)
    with pytest.raises(PermissionDenied):
        message_send(actor=w["practitioner"], conversation=conversation, body="hello")


def test_held_messages_are_invisible_to_the_recipient_until_released(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    message = message_send(actor=w["person_user"], conversation=conversation, body="Send the PARCEL over the wall")
    assert message.state == MessageState.HELD
    assert message.flag == FlagKind.SCREENING
    assert {m["term"] for m in message.matched_terms} == {"parcel", "over the wall"}
    assert conversation_messages(w["keyworker"], conversation) == []
    assert [m.pk for m in conversation_messages(w["person_user"], conversation)] == [message.pk]  # the sender sees it
    assert not OutboxMessage.objects.filter(user=w["keyworker"]).exists()
    assert list(review_queue(w["security"])) == [message]
    assert list(review_queue(w["other_security"])) == []
    with pytest.raises(PermissionDenied):
        message_release(actor=w["other_security"], message=message)
    with pytest.raises(PermissionDenied):
        message_release(actor=w["keyworker"], message=message)
    message_release(actor=w["security"], message=message, note="Talking about a family parcel")
    assert [m.pk for m in conversation_messages(w["keyworker"], conversation)] == [message.pk]
    assert OutboxMessage.objects.filter(user=w["keyworker"]).exists()
    event = AuditEvent.objects.get(action="message.released")
    assert event.reason == "Talking about a family parcel"
    with pytest.raises(ValidationError):
        message_block(actor=w["security"], message=message, reason="too late")


def test_a_blocked_message_needs_a_reason_and_tells_the_sender(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = _conversation(w)
    message = message_send(actor=w["person_user"], conversation=conversation, body="ring me on 07700 900123")
    assert message.state == MessageState.HELD
    with pytest.raises(ValidationError):
        message_block(actor=w["security"], message=message, reason="  ")
    message_block(actor=w["security"], message=message, reason="Phone numbers cannot be sent in messages.")
    message.refresh_from_db()
    assert message.state == MessageState.BLOCKED
    assert conversation_messages(w["keyworker"], conversation) == []
    own = conversation_messages(w["person_user"], conversation)
    assert own[0].block_reason == "Phone numbers cannot be sent in messages."
    assert OutboxMessage.objects.filter(user=w["person_user"], subject__contains="not delivered").exists()


def test_deliver_and_flag_policy_delivers_and_queues_for_review(msg_world: dict[str, Any]) -> None:
    w = msg_world
    w["word_list"].policy = ScreeningPolicy.FLAG
    w["word_list"].save()
    conversation = _conversation(w)
    message = message_send(actor=w["person_user"], conversation=conversation, body="the parcel came")
    assert (message.state, message.flag) == (MessageState.DELIVERED, FlagKind.SCREENING)
    assert list(review_queue(w["security"])) == [message]
    message_flag_clear(actor=w["security"], message=message, note="About a birthday present")
    assert list(review_queue(w["security"])) == []


def test_community_risk_words_are_flagged_to_the_practitioner_never_held(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["community_user"], person=w["community"])
    message = message_send(actor=w["community_user"], conversation=conversation, body="I want to END it all")
    assert (message.state, message.flag) == (MessageState.DELIVERED, FlagKind.RISK)
    notice = OutboxMessage.objects.get(user=w["practitioner"], subject="A message needs your attention")
    assert "END" not in notice.body
    assert list(review_queue(w["security"])) == []


def test_only_the_practitioner_clears_a_risk_flag_never_the_person_who_wrote(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["community_user"], person=w["community"])
    message = message_send(actor=w["community_user"], conversation=conversation, body="I want to END it all")
    with pytest.raises(PermissionDenied):
        message_flag_clear(actor=w["community_user"], message=message, note="nothing to see")
    message.refresh_from_db()
    assert (message.flag, message.flag_cleared_at) == (FlagKind.RISK, None)
    message_flag_clear(actor=w["practitioner"], message=message, note="Spoke to them; safe")
    message.refresh_from_db()
    assert message.flag_cleared_at is not None
    assert message.reviewed_by == w["practitioner"]


def test_messages_refuse_html_and_long_text_and_empty(msg_world: dict[str, Any], settings: Any) -> None:
    w = msg_world
    conversation = _conversation(w)
    for body in ["<script>alert(1)</script>", "", "   ", "x" * (settings.MESSAGING_MESSAGE_MAX_CHARS + 1)]:
        with pytest.raises(ValidationError):
            message_send(actor=w["person_user"], conversation=conversation, body=body)
    assert message_send(actor=w["person_user"], conversation=conversation, body="I <3 my kids").pk


def test_a_person_is_rate_limited_with_a_clear_message(msg_world: dict[str, Any], settings: Any) -> None:
    settings.MESSAGING_PERSON_MESSAGES_PER_HOUR = 2
    w = msg_world
    conversation = _conversation(w)
    message_send(actor=w["person_user"], conversation=conversation, body="one")
    message_send(actor=w["person_user"], conversation=conversation, body="two")
    with pytest.raises(ValidationError, match="most you can send"):
        message_send(actor=w["person_user"], conversation=conversation, body="three")


def test_the_conversation_follows_the_person_through_the_gate(msg_world: dict[str, Any], make_staff: Any) -> None:
    from onward.organisations.models import Role

    w = msg_world
    pom = make_staff(Role.POM, w["org"]["ngt"])
    conversation = _conversation(w)
    message_send(actor=w["keyworker"], conversation=conversation, body="Your release paperwork is ready.")
    details = ReleaseDetails(
        release_date=timezone.localdate(),
        status=Status.LICENCE,
        supervising_unit=w["org"]["office_n"],
        address="1 New Street",
        practitioner=w["practitioner"],
    )
    person_release(actor=pom, person=w["person"], details=details)
    again = conversation_for_person(actor=w["practitioner"], person=w["person"])
    assert again.pk == conversation.pk
    active = set(again.participants.filter(left_at__isnull=True).values_list("user_id", flat=True))
    assert active == {w["practitioner"].pk, w["person_user"].pk}
    history = conversation_messages(w["practitioner"], conversation_get(w["practitioner"], conversation.pk))
    assert [m.body for m in history] == ["Your release paperwork is ready."]
    assert [m.body for m in conversation_messages(w["person_user"], conversation)] == [
        "Your release paperwork is ready."
    ]
    with pytest.raises(PermissionDenied):
        conversation_get(w["keyworker"], conversation.pk)
    assert AssignmentRole.PRACTITIONER in set(again.participants.values_list("role", flat=True))


def test_a_contact_link_works_only_for_its_own_conversation_and_expires(
    msg_world: dict[str, Any], settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://onward.example"
    w = msg_world
    contact = contact_approve(
        actor=w["security"], person=w["person"], name="Jo Hughes", relationship="Sister", email="jo@example.org"
    )
    conversation = contact.conversations.get()
    first = message_send(actor=w["person_user"], conversation=conversation, body="Hello Jo")
    assert first.state == MessageState.DELIVERED
    notice = OutboxMessage.objects.get(channel="email", recipient="jo@example.org")
    assert "Hello Jo" not in notice.body
    assert "https://onward.example/messages/contact/" in notice.body  # the site's public address, one setting
    token = notice.body.rsplit("/contact/", 1)[1].strip("/").split("/")[0]
    link = contact_link_resolve(token)
    assert link is not None
    assert link.conversation_id == conversation.pk
    assert len(ContactLink.objects.get().token_digest) == 64
    assert token not in ContactLink.objects.get().token_digest
    assert [m.body for m in contact_conversation_messages(link)] == ["Hello Jo"]
    reply = message_send_by_contact(link=link, body="Hi love")
    assert reply.state == MessageState.DELIVERED
    assert "Hi love" in [m.body for m in conversation_messages(w["person_user"], conversation)]
    other = contact_approve(
        actor=w["security"], person=w["neighbour"], name="Sam", relationship="Friend", phone="07700900999"
    )
    other_conversation = other.conversations.get()
    assert link.conversation_id != other_conversation.pk
    assert contact_link_resolve("not-a-token") is None
    ContactLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert contact_link_resolve(token) is None


def test_a_suspended_contact_cannot_write_and_a_barred_one_cannot_be_written_to(msg_world: dict[str, Any]) -> None:
    w = msg_world
    contact = contact_approve(
        actor=w["security"], person=w["person"], name="Jo", relationship="Sister", email="jo@example.org"
    )
    conversation = contact.conversations.get()
    issued = contact_link_issue(contact=contact, conversation=conversation)
    with pytest.raises(ValidationError):
        contact_suspend(actor=w["security"], contact=contact, reason="")
    contact_suspend(actor=w["security"], contact=contact, reason="Under investigation")
    assert contact_link_resolve(issued.token) is None  # suspending withdraws every link
    issued.link.refresh_from_db()
    with pytest.raises(PermissionDenied):
        message_send_by_contact(link=issued.link, body="hello")
    with pytest.raises(PermissionDenied):
        message_send(actor=w["person_user"], conversation=conversation, body="hello")
    contact_bar(actor=w["security"], contact=contact, reason="Threats")
    with pytest.raises(PermissionDenied):
        contact_approve(actor=w["keyworker"], person=w["person"], name="X", relationship="Friend", phone="1")


def test_contact_messages_are_screened_and_held(msg_world: dict[str, Any]) -> None:
    w = msg_world
    contact = contact_approve(
        actor=w["security"], person=w["person"], name="Jo", relationship="Sister", email="jo@example.org"
    )
    issued = contact_link_issue(contact=contact, conversation=contact.conversations.get())
    held = message_send_by_contact(link=issued.link, body="I'll throw the parcel over the wall")
    assert held.state == MessageState.HELD
    assert conversation_messages(w["person_user"], contact.conversations.get()) == []
    # Key workers never see a contact's conversation; security in the prison do.
    with pytest.raises(PermissionDenied):
        conversation_get(w["keyworker"], contact.conversations.get().pk)
    assert conversation_get(w["security"], contact.conversations.get().pk)


def test_a_broadcast_reaches_one_wing_and_not_another(msg_world: dict[str, Any], make_staff: Any) -> None:
    from onward.organisations.models import Role

    w = msg_world
    senior = make_staff(Role.SENIOR, w["org"]["ngt"])
    broadcast = broadcast_send(
        actor=senior, audience=Audience.WING, unit=w["org"]["wing_a"], title="Gym closed", body="No gym on Friday."
    )
    reached = set(BroadcastDelivery.objects.filter(broadcast=broadcast).values_list("person_id", flat=True))
    assert reached == {w["person"].pk, w["neighbour"].pk}
    assert broadcast.recipient_count == 2
    with pytest.raises(PermissionDenied):
        broadcast_send(
            actor=senior, audience=Audience.WING, unit=w["org"]["stn_wing"], title="No", body="Not my prison."
        )
    with pytest.raises(ValidationError):
        broadcast_send(actor=senior, audience=Audience.WING, unit=w["org"]["ngt"], title="x", body="a prison")


def test_a_broadcast_to_hdc_in_a_pdu_and_to_a_caseload(msg_world: dict[str, Any], make_staff: Any) -> None:
    from onward.organisations.models import Role

    w = msg_world
    senior = make_staff(Role.SENIOR, w["org"]["pdu_n"])
    on_hdc = CommunityPersonFactory(unit=w["org"]["office_n2"], status=Status.HDC)
    CommunityPersonFactory(unit=w["org"]["office_s"], status=Status.HDC)
    hdc = broadcast_send(actor=senior, audience=Audience.HDC_PDU, unit=w["org"]["pdu_n"], title="Tags", body="x")
    assert set(hdc.deliveries.values_list("person_id", flat=True)) == {on_hdc.pk}
    caseload = broadcast_send(actor=w["keyworker"], audience=Audience.CASELOAD, title="Hello", body="I am back.")
    assert set(caseload.deliveries.values_list("person_id", flat=True)) == {w["person"].pk}
    assert unread_total(w["person_user"]) == 1
    assert PersonFactory  # imported for symmetry with the other tests


def _png_with_exif() -> bytes:
    image = Image.new("RGB", (20, 10), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    out = BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_attachments_are_checked_by_content_and_images_stripped(msg_world: dict[str, Any]) -> None:
    w = msg_world
    prepared = attachment_prepare(SimpleUploadedFile("holiday.txt", _png_with_exif()))
    assert prepared.content_type == "image/png"
    assert b"SecretCamera" not in prepared.content
    with pytest.raises(ValidationError, match="photo"):
        attachment_prepare(SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not really a pdf"))
    with pytest.raises(ValidationError, match="could not be read"):
        attachment_prepare(SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n broken"))
    pdf = attachment_prepare(SimpleUploadedFile("x", plain_pdf()))
    message = message_send(actor=w["person_user"], conversation=_conversation(w), body="My CV", attachments=[pdf])
    stored = message.attachments.get()
    assert stored.content_type == "application/pdf"
    assert stored.file.read().startswith(b"%PDF-")


def plain_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_attachments_have_a_size_limit(settings: Any) -> None:
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="smaller than"):
        attachment_prepare(SimpleUploadedFile("x.pdf", b"%PDF-1.4 far too long"))


def test_blocked_state_requires_a_reason_in_the_database(msg_world: dict[str, Any]) -> None:
    from django.db import IntegrityError, transaction

    w = msg_world
    message = message_send(actor=w["person_user"], conversation=_conversation(w), body="hello")
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(state=MessageState.BLOCKED)
