"""Reads of conversations and messages, scoped by the policy. Reads of a person's messages are audited."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.messaging.models import (
    VISIBLE_TO_RECIPIENT,
    Attachment,
    BroadcastDelivery,
    ContactLink,
    Conversation,
    ConversationKind,
    Draft,
    FlagKind,
    Message,
    MessageRead,
    MessageState,
    Term,
    WordList,
)
from onward.messaging.rules import CONVERSATIONS, conversations_visible_to, messages_for_review, word_list_units_for
from onward.organisations.models import OrgUnit

SEARCH_MAX_CHARS = 100


@dataclass(frozen=True)
class InboxEntry:
    conversation: Conversation
    unread: int


def conversations_for(user: Any, *, kind: str | None = None) -> list[InboxEntry]:
    """The user's conversations, newest first, each with how many messages they have not read."""
    conversations = conversations_visible_to(user).select_related("person", "person__unit", "contact")
    if kind:
        conversations = conversations.filter(kind=kind)
    if user.kind == UserKind.STAFF:
        conversations = conversations.filter(last_message_at__isnull=False)
    unread = Count(
        "messages",
        filter=Q(messages__state__in=VISIBLE_TO_RECIPIENT)
        & ~Q(messages__author_user=user)
        & ~Q(messages__reads__user=user),
    )
    rows = conversations.annotate(unread=unread).order_by("-last_message_at", "-pk")
    return [InboxEntry(conversation=c, unread=c.unread) for c in rows]


def unread_total(user: Any) -> int:
    """Unread messages and announcements, for the navigation badge."""
    messages = (
        Message.objects.filter(conversation__in=conversations_visible_to(user), state__in=VISIBLE_TO_RECIPIENT)
        .exclude(author_user=user)
        .exclude(reads__user=user)
        .count()
    )
    if user.kind == UserKind.PERSON:
        messages += BroadcastDelivery.objects.filter(person_id=user.person_id, read_at__isnull=True).count()
    return messages


def conversation_get(
    user: Any, conversation_id: int, *, purpose: AuditAction = AuditAction.CONVERSATION_VIEW
) -> Conversation:
    """One conversation the user may read; the same refusal whether it exists or not. The read is audited."""
    conversation = (
        CONVERSATIONS.scope_with_role(user)
        .select_related("person", "person__unit", "person__unit__parent", "contact")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise PermissionDenied("conversation.view")
    CONVERSATIONS.remember(user, [conversation])  # the page's checks then need no query
    _audit_read(user, conversation, purpose)
    return conversation


def staff_conversation_id(user: Any, person: Any) -> int | None:
    """The id of the person's conversation with their staff, if it has been started and the user may read it.

    Reads only: a page that only looks never starts a conversation (the first message sent does).
    """
    return (
        conversations_visible_to(user)
        .filter(person=person, kind=ConversationKind.STAFF)
        .values_list("pk", flat=True)
        .first()
    )


def conversation_for_draft(user: Any, conversation_id: int) -> Conversation:
    """A conversation the user may read, for saving their own draft: no messages are read, so no audit event
    (the page's script saves every few seconds while someone types)."""
    conversation = conversations_visible_to(user).select_related("person", "contact").filter(pk=conversation_id).first()
    if conversation is None:
        raise PermissionDenied("conversation.view")
    return conversation


def conversation_messages(user: Any, conversation: Conversation, *, search: str = "") -> list[Message]:
    """What this user may see: delivered and released messages, and their own whatever their state.

    Held messages stay invisible to the recipient until security release them.
    """
    visible = Q(state__in=VISIBLE_TO_RECIPIENT) | Q(author_user=user)
    messages = _messages(conversation, visible, user)
    term = search.strip()[:SEARCH_MAX_CHARS]
    if term:
        messages = messages.filter(body__icontains=term)
    return list(messages)


def contact_conversation_messages(link: ContactLink) -> list[Message]:
    """What a contact sees through their link: delivered and released messages, and their own."""
    visible = Q(state__in=VISIBLE_TO_RECIPIENT) | Q(author_contact=link.contact)
    return list(_messages(link.conversation, visible, None))


def draft_for(user: Any, conversation: Conversation) -> Draft | None:
    """The user's own draft in a conversation they may read (found by `conversation_get`). Only ever the author's."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Draft.objects.filter(conversation=conversation, author_user=user).first()


def draft_for_contact(link: ContactLink) -> Draft | None:
    return Draft.objects.filter(conversation=link.conversation, author_contact=link.contact).first()


def last_sent_id(conversation: Conversation, *, user: Any = None, link: ContactLink | None = None) -> int:
    """The id of the author's latest message here (0 if none): the page's script uses it to tell a copy
    kept on the device from before a send (now delivered, so dropped) from one typed since."""
    mine = Q(author_user=user) if link is None else Q(author_contact=link.contact)
    latest = conversation.messages.filter(mine).order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def word_lists_for(user: Any) -> QuerySet[WordList]:
    """The word lists this user keeps, each with its number of terms (one query)."""
    return (
        WordList.objects.filter(unit__in=word_list_units_for(user))
        .select_related("unit")
        .annotate(term_count=Count("terms"))
        .order_by("unit__kind", "unit__name")
    )


def word_list_get(user: Any, word_list_id: int) -> WordList:
    """One list this user keeps; the same refusal whether it exists or not."""
    found = WordList.objects.filter(unit__in=word_list_units_for(user)).select_related("unit").filter(pk=word_list_id)
    word_list = found.first()
    if word_list is None:
        raise PermissionDenied("wordlist.manage")
    return word_list


def word_list_terms(word_list: WordList, *, search: str = "") -> QuerySet[Term]:
    """The list's terms in order, optionally those containing the search text. Page it: lists run to 10,000s."""
    terms = Term.objects.filter(word_list=word_list).order_by("text", "pk")
    needle = search.strip()[:SEARCH_MAX_CHARS]
    if needle:
        terms = terms.filter(text__icontains=needle)
    return terms


def units_needing_word_list(user: Any) -> QuerySet[OrgUnit]:
    """Prisons and delivery units this user keeps lists for that have none yet."""
    return word_list_units_for(user).filter(word_list__isnull=True).order_by("kind", "name")


def review_queue(user: Any) -> QuerySet[Message]:
    """Held messages and delivered messages flagged by the word list and not yet reviewed, oldest first."""
    return (
        messages_for_review(user)
        .filter(
            Q(state=MessageState.HELD)
            | Q(state=MessageState.DELIVERED, flag=FlagKind.SCREENING, flag_cleared_at__isnull=True)
        )
        .select_related("conversation__person__unit", "conversation__contact", "author_user", "author_contact")
        .order_by("created_at", "pk")
    )


def review_message_get(user: Any, message_id: int) -> Message:
    message = (
        messages_for_review(user)
        .select_related("conversation__person__unit", "conversation__contact", "author_user", "author_contact")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise PermissionDenied("messaging.review")
    audit_record(
        actor=user,
        role="security",
        action=AuditAction.MESSAGE_VIEWED_FOR_REVIEW,
        person=message.conversation.person,
        target=message,
    )
    return message


def announcements_for(user: Any) -> QuerySet[BroadcastDelivery]:
    if user.kind != UserKind.PERSON:
        return BroadcastDelivery.objects.none()
    return (
        BroadcastDelivery.objects.filter(person_id=user.person_id)
        .select_related("broadcast")
        .order_by("-broadcast__created_at")
    )


def attachment_get(user: Any, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("message__conversation__person")
        .filter(pk=attachment_id, message__conversation__in=conversations_visible_to(user))
        .first()
    )
    if attachment is None:
        raise PermissionDenied("conversation.view")
    message = attachment.message
    if not (message.is_visible_to_recipient or message.author_user_id == user.pk):
        raise PermissionDenied("conversation.view")
    _audit_read(user, message.conversation, AuditAction.CONVERSATION_ATTACHMENT)
    return attachment


def _messages(conversation: Conversation, visible: Q, user: Any) -> QuerySet[Message]:
    messages = (
        conversation.messages.filter(visible)
        .select_related("author_user", "author_contact")
        .prefetch_related(
            "attachments", Prefetch("reads", queryset=MessageRead.objects.select_related("user"), to_attr="all_reads")
        )
        .order_by("created_at", "pk")
    )
    if user is not None:
        messages = messages.annotate(read_by_me=Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user)))
    return messages


def _audit_read(user: Any, conversation: Conversation, purpose: AuditAction) -> None:
    audit_record(
        actor=user,
        role=CONVERSATIONS.role_for(user, conversation) or "",
        action=purpose,
        person=conversation.person,
        target=conversation,
    )
