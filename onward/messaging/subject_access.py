"""Conversations and their messages, approved contacts, announcements received, and unsent drafts.

Security staff's screening notes (matched words, review notes) are not exported: they are kept for
the prevention and detection of crime. A blocked message's reason is, as the sender was shown it.
"""

from typing import Any

from onward.core.subject_access import Section, rows, subject_access_section
from onward.messaging.models import ApprovedContact, Attachment, BroadcastDelivery, Conversation, Draft, Message
from onward.people.models import Person


@subject_access_section("messages", covers=[Conversation, ApprovedContact, BroadcastDelivery])
def messages_section(person: Person) -> Section:
    conversations = rows(
        Conversation.objects.filter(person=person).order_by("created_at"), "id", "kind", "contact__name", "created_at"
    )
    messages: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in conversations}
    for message in rows(
        Message.objects.filter(conversation__person=person).order_by("created_at"),
        "conversation_id",
        "created_at",
        "author_kind",
        "author_user__first_name",
        "author_user__last_name",
        "author_contact__name",
        "body",
        "state",
        "block_reason",
        "delivered_at",
    ):
        messages[message.pop("conversation_id")].append(message)
    files = [
        (a.file.name, f"messages/attachment-{a.pk}-{a.name or 'file'}")
        for a in Attachment.objects.filter(message__conversation__person=person).order_by("pk")
        if a.file
    ]
    account = getattr(person, "account", None)
    return Section(
        {
            "conversations": [{**c, "messages": messages[c["id"]]} for c in conversations],
            "approved_contacts": rows(
                ApprovedContact.objects.filter(person=person).order_by("pk"),
                "name",
                "relationship",
                "email",
                "phone",
                "status",
                "status_reason",
                "decided_at",
            ),
            "announcements": rows(
                BroadcastDelivery.objects.filter(person=person).order_by("broadcast__created_at"),
                "broadcast__title",
                "broadcast__body",
                "broadcast__created_at",
                "read_at",
            ),
            "drafts": rows(
                Draft.objects.filter(author_user=account).order_by("updated_at"),
                "conversation_id",
                "body",
                "updated_at",
            )
            if account is not None
            else [],
        },
        files=files,
    )
