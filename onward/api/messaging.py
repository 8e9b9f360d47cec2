"""Conversations and messages for a person's device (token) and for staff (session).

A person sees only their own conversations; staff the conversations of the people they work with.
Held messages are not shown to the recipient until released. Reads are audited like the pages.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.messaging.models import Conversation, Message
from onward.messaging.selectors import (
    conversation_for_draft,
    conversation_get,
    conversation_messages,
    conversations_for,
    draft_for,
)
from onward.messaging.services import draft_discard, draft_save, message_send, messages_mark_read

router = Router(tags=["messages"])


class ConversationOut(Schema):
    id: int
    kind: Literal["staff", "contact"]
    title: str = Field(description="Who the conversation is with, in plain words.")
    person_id: int
    unread: int
    may_write: bool
    last_message_at: datetime | None


class MessageOut(Schema):
    id: int
    author: Literal["me", "staff", "person", "contact"]
    author_name: str
    body: str = Field(description="Plain text. Show it as text, never as HTML; links are not made clickable.")
    state: Literal["pending_screening", "delivered", "held", "released", "blocked"]
    block_reason: str = Field(description="Why the message was not delivered, in plain words (blocked only).")
    created_at: datetime
    seen: bool = Field(description="For the caller's own messages: someone else has read it.")


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=settings.MESSAGING_MESSAGE_MAX_CHARS, description="Plain text; HTML is refused."
    )
    idempotency_key: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="A key the device makes up for this message (8 to 64 letters, digits, - or _). Sending "
        "again with the same key, after a lost connection, gives back the first message instead of a second.",
    )


class DraftOut(Schema):
    body: str = Field(description="What the caller was writing; empty when there is no draft.")
    updated_at: datetime | None


class DraftIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(
        max_length=settings.MESSAGING_MESSAGE_MAX_CHARS,
        description="What the caller is writing. Not screened, not delivered, seen only by the caller. "
        "An empty body deletes the draft.",
    )


@router.get(
    "/conversations",
    response=responses({200: list[ConversationOut]}),
    summary="The caller's conversations, newest first, with unread counts",
)
@permission("messaging.inbox")
def conversation_list(request: HttpRequest) -> list[ConversationOut]:
    user = api_caller(request)
    return [_conversation_out(user, entry.conversation, entry.unread) for entry in conversations_for(user)]


@router.get(
    "/conversations/{conversation_id}/messages",
    response=responses({200: list[MessageOut]}, NOT_FOUND, UNPROCESSABLE),
    summary="The messages of one conversation the caller may read, oldest first",
)
@permission("conversation.view")
def message_list(request: HttpRequest, conversation_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]) -> list[MessageOut]:
    """Reading marks others' messages as read. The same 404 whether the conversation exists or not."""
    user = api_caller(request)
    conversation = _get(user, conversation_id)
    items = conversation_messages(user, conversation)
    messages_mark_read(actor=user, conversation=conversation, messages=items)
    return [_message_out(user, conversation, m) for m in items]


@router.post(
    "/conversations/{conversation_id}/messages",
    response=responses({201: MessageOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Send a message",
)
@permission("conversation.write")
def message_create(
    request: HttpRequest, conversation_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)], message: MessageIn
) -> Status[MessageOut]:
    """Screened before delivery: the answer's state may be 'held' until the prison has checked it."""
    user = api_caller(request)
    conversation = _get(user, conversation_id, purpose=AuditAction.CONVERSATION_VIEW_FOR_SEND)
    try:
        sent = message_send(
            actor=user, conversation=conversation, body=message.body, client_key=message.idempotency_key or ""
        )
    except PermissionDenied:
        raise HttpError(403, _("You cannot write in this conversation.")) from None
    except ValidationError as error:
        raise HttpError(BAD_REQUEST, error.messages[0]) from None
    return Status(201, _message_out(user, conversation, sent))


@router.get(
    "/conversations/{conversation_id}/draft",
    response=responses({200: DraftOut}, NOT_FOUND, UNPROCESSABLE),
    summary="The caller's own unsent draft in a conversation",
)
@permission("conversation.view")
def draft_get(request: HttpRequest, conversation_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]) -> DraftOut:
    """Only the caller's own draft: nobody else can read it. Empty when there is none."""
    user = api_caller(request)
    draft = draft_for(user, _get_for_draft(user, conversation_id))
    return DraftOut(body=draft.body if draft else "", updated_at=draft.updated_at if draft else None)


@router.put(
    "/conversations/{conversation_id}/draft",
    response=responses({200: DraftOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Keep what the caller is writing, to send later",
)
@permission("conversation.write")
def draft_put(
    request: HttpRequest, conversation_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)], draft: DraftIn
) -> DraftOut:
    """Replaces the caller's draft. Sending a message in the conversation deletes it; so does an empty body.
    Drafts not touched for the retention period (30 days by default) are deleted."""
    user = api_caller(request)
    conversation = _get_for_draft(user, conversation_id)
    try:
        saved = draft_save(actor=user, conversation=conversation, body=draft.body)
    except PermissionDenied:
        raise HttpError(403, _("You cannot write in this conversation.")) from None
    except ValidationError as error:
        raise HttpError(BAD_REQUEST, error.messages[0]) from None
    return DraftOut(body=saved.body if saved else "", updated_at=saved.updated_at if saved else None)


@router.delete(
    "/conversations/{conversation_id}/draft",
    response=responses({204: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Delete the caller's draft",
)
@permission("conversation.view")
def draft_delete(request: HttpRequest, conversation_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]) -> Status[None]:
    """Deleting when there is no draft is not an error."""
    user = api_caller(request)
    draft_discard(actor=user, conversation=_get_for_draft(user, conversation_id))
    return Status(204, None)


def _get_for_draft(user: object, conversation_id: int) -> Conversation:
    try:
        return conversation_for_draft(user, conversation_id)
    except PermissionDenied:
        raise Http404 from None


def _get(user: object, conversation_id: int, purpose: AuditAction = AuditAction.CONVERSATION_VIEW) -> Conversation:
    try:
        return conversation_get(user, conversation_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None


def _conversation_out(user: object, conversation: Conversation, unread: int) -> ConversationOut:
    if conversation.kind == "contact" and conversation.contact is not None:
        title = f"{conversation.contact.name} ({conversation.contact.relationship})"
    elif getattr(user, "kind", None) == "person":
        title = "The staff working with you"
    else:
        title = conversation.person.full_name
    return ConversationOut(
        id=conversation.pk,
        kind=conversation.kind,  # type: ignore[arg-type]
        title=title,
        person_id=conversation.person_id,
        unread=unread,
        may_write=can(user, "conversation.write", conversation),
        last_message_at=conversation.last_message_at,
    )


def _message_out(user: object, conversation: Conversation, message: Message) -> MessageOut:
    mine = message.author_user_id == getattr(user, "pk", None)
    if message.author_contact is not None:
        name = message.author_contact.name
    elif message.author_kind == "person":
        name = conversation.person.full_name
    else:
        name = message.author_user.display_name if message.author_user else ""
    reads = getattr(message, "all_reads", [])
    return MessageOut(
        id=message.pk,
        author="me" if mine else message.author_kind,  # type: ignore[arg-type]
        author_name=name,
        body=message.body,
        state=message.state,  # type: ignore[arg-type]
        block_reason=message.block_reason if mine else "",
        created_at=message.created_at,
        seen=mine and any(r.user_id != message.author_user_id for r in reads),
    )
