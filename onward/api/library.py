"""The library for a person's device (token) and for content editors (session).

A person lists, searches and reads items aimed at them, in their preferred language where there is a
translation (English otherwise; `language` says which), saves them and says whether they helped. Editors
create and change items (each change a new revision), send them for approval, approve another editor's
revision, and publish now or at a time. Bodies are Markdown; `body_html` is the sanitised rendering.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import api_caller, api_user
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, DatabaseId, PlainText
from onward.core.markdown import body_html
from onward.library import selectors, services
from onward.library.models import DEFAULT_LANGUAGE, Audience, Item, ItemKind, ItemState, Topic
from onward.library.rules import prisons_for_editor
from onward.library.services import BODY_MAX_CHARS, REASON_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS
from onward.people.models import Person

router = Router(tags=["library"])

Id = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
SEARCH_MAX_CHARS = 100


class TopicOut(Schema):
    slug: str
    name: str


class ItemSummaryOut(Schema):
    id: int
    kind: ItemKind
    title: str
    summary: str
    language: Literal["en-gb", "cy"]
    published_at: datetime | None
    topics: list[TopicOut]


class ItemOut(ItemSummaryOut):
    body: str = Field(description="Markdown, as the editor wrote it.")
    body_html: str = Field(description="The body as safe HTML (an allow-list of tags; no scripts, no styles).")
    transcript: str
    has_media: bool
    saved: bool
    helped: bool | None = Field(description="The person's answer to 'Did this help?', or null.")


class ListQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    topic: Annotated[PlainText, StringConstraints(max_length=60)] = Field("", description="A topic's slug.")
    q: Annotated[PlainText, StringConstraints(max_length=SEARCH_MAX_CHARS)] = Field(
        "", description="Search words; spelling mistakes are allowed."
    )


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    helped: bool
    reason: Annotated[PlainText, StringConstraints(max_length=REASON_MAX_CHARS)] = ""


class TextIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[PlainText, StringConstraints(min_length=1, max_length=TITLE_MAX_CHARS)]
    summary: Annotated[PlainText, StringConstraints(max_length=SUMMARY_MAX_CHARS)] = ""
    body: Annotated[str, StringConstraints(max_length=BODY_MAX_CHARS)] = ""
    transcript: Annotated[str, StringConstraints(max_length=BODY_MAX_CHARS)] = ""


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ItemKind = ItemKind.ARTICLE
    english: TextIn
    welsh: TextIn | None = None
    audience: Audience
    all_prisons: bool = True
    prison_ids: list[DatabaseId] = Field(default_factory=list, max_length=200)
    topic_slugs: list[Annotated[PlainText, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=20
    )


class PublishIn(Schema):
    model_config = ConfigDict(extra="forbid")

    publish_at: datetime | None = Field(None, description="A time to come to schedule it; empty publishes now.")


class EditorItemOut(Schema):
    id: int
    state: ItemState
    revision: int
    needs_approval: bool
    approved: bool
    live: bool
    publish_at: datetime | None
    title: str


# --- People -------------------------------------------------------------------------------------


@router.get(
    "/library/items",
    response=responses({200: list[ItemSummaryOut]}, UNPROCESSABLE),
    tags=["person"],
    summary="Items aimed at the person: newest first, in a topic, or matching search words",
)
@permission("library.read")
def item_list(request: HttpRequest, filters: Query[ListQuery]) -> list[ItemSummaryOut]:
    person, language = _reader(request)
    if filters.q:
        views = selectors.items_search(person, filters.q, language)
    elif filters.topic:
        topic = Topic.objects.filter(slug=filters.topic).first()
        views = selectors.items_in_topic(person, topic, language) if topic else []
    else:
        views = selectors.items_new(person, language, limit=50)
    return [_summary(view) for view in views]


@router.get(
    "/library/topics",
    response=responses({200: list[TopicOut]}),
    tags=["person"],
    summary="Topics with something in them for the person",
)
@permission("library.read")
def topic_list(request: HttpRequest) -> list[TopicOut]:
    person, language = _reader(request)
    return [TopicOut(slug=t.slug, name=t.name_in(language)) for t in selectors.topics_for_person(person)]


@router.get(
    "/library/items/{item_id}",
    response=responses({200: ItemOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["person"],
    summary="One item, in the person's language where there is a translation",
)
@permission("library.read")
def item_get(request: HttpRequest, item_id: Id) -> ItemOut:
    person, language = _reader(request)
    return _full(person, selectors.item_for_person(person, item_id, language))


@router.post(
    "/library/items/{item_id}/save",
    response=responses({200: ItemOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["person"],
    summary="Save an item for later",
)
@permission("library.read")
def item_save(request: HttpRequest, item_id: Id) -> ItemOut:
    person, language = _reader(request)
    view = selectors.item_for_person(person, item_id, language)
    services.item_save(actor=api_user(request), item=view.item)
    return _full(person, view)


@router.delete(
    "/library/items/{item_id}/save",
    response=responses({200: ItemOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["person"],
    summary="Remove an item from the saved ones",
)
@permission("library.read")
def item_unsave(request: HttpRequest, item_id: Id) -> ItemOut:
    person, language = _reader(request)
    view = selectors.item_for_person(person, item_id, language)
    services.item_unsave(actor=api_user(request), item=view.item)
    return _full(person, view)


@router.post(
    "/library/items/{item_id}/rating",
    response=responses({200: ItemOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["person"],
    summary="Say whether an item helped, with an optional reason",
)
@permission("library.read")
def item_rate(request: HttpRequest, item_id: Id, rating: RatingIn) -> ItemOut:
    person, language = _reader(request)
    view = selectors.item_for_person(person, item_id, language)
    services.item_rate(actor=api_user(request), item=view.item, helped=rating.helped, reason=rating.reason)
    return _full(person, view)


# --- Editors ------------------------------------------------------------------------------------


@router.post(
    "/library/editor/items",
    response=responses({201: EditorItemOut}, BAD_REQUEST, UNPROCESSABLE),
    tags=["staff"],
    summary="Write a new item (a draft)",
)
@permission("library.edit")
def editor_create(request: HttpRequest, body: ItemIn) -> Status[EditorItemOut]:
    user = api_user(request)
    try:
        item = services.item_create(actor=user, draft=_draft(user, body))
    except DjangoValidationError as problem:
        raise HttpError(BAD_REQUEST, problem.messages[0]) from None
    return Status(201, _editor_out(item))


@router.put(
    "/library/editor/items/{item_id}",
    response=responses({200: EditorItemOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    tags=["staff"],
    summary="Change an item: a new revision, back to draft",
)
@permission("library.edit")
def editor_edit(request: HttpRequest, item_id: Id, body: ItemIn) -> EditorItemOut:
    user = api_user(request)
    item = selectors.item_for_editor(user, item_id)
    try:
        services.item_edit(actor=user, item=item, draft=_draft(user, body))
    except DjangoValidationError as problem:
        raise HttpError(BAD_REQUEST, problem.messages[0]) from None
    return _editor_out(item)


@router.post(
    "/library/editor/items/{item_id}/{action}",
    response=responses({200: EditorItemOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    tags=["staff"],
    summary="Send for approval, approve another editor's revision, or publish (now or at a time)",
)
@permission("library.edit")
def editor_action(
    request: HttpRequest, item_id: Id, action: Literal["submit", "approve", "publish"], body: PublishIn
) -> EditorItemOut:
    """Anything shown in custody needs approval by an editor other than the one who wrote the revision."""
    user = api_user(request)
    item = selectors.item_for_editor(user, item_id)
    try:
        if action == "submit":
            services.item_submit(actor=user, item=item)
        elif action == "approve":
            services.item_approve(actor=user, item=item)
        else:
            services.item_publish(actor=user, item=item, at=body.publish_at)
    except PermissionDenied:
        raise HttpError(403, "Another editor must approve this first. You cannot approve your own changes.") from None
    except DjangoValidationError as problem:
        raise HttpError(BAD_REQUEST, problem.messages[0]) from None
    return _editor_out(item)


# --- Helpers ------------------------------------------------------------------------------------


def _reader(request: HttpRequest) -> tuple[Person, str]:
    person = selectors.library_person(api_caller(request))
    language = "cy" if person.preferred_language == "cy" else DEFAULT_LANGUAGE
    return person, language


def _summary(view: selectors.ItemView) -> ItemSummaryOut:
    return ItemSummaryOut(**_summary_fields(view))


def _summary_fields(view: selectors.ItemView) -> dict[str, Any]:
    language = view.text.language
    return {
        "id": view.item.pk,
        "kind": ItemKind(view.item.kind),
        "title": view.text.title,
        "summary": view.text.summary,
        "language": language,
        "published_at": view.item.published_at,
        "topics": [TopicOut(slug=t.slug, name=t.name_in(language)) for t in view.item.topics.all()],
    }


def _full(person: Person, view: selectors.ItemView) -> ItemOut:
    rating = selectors.item_rating(person, view.item)
    return ItemOut(
        **_summary_fields(view),
        body=view.text.body,
        body_html=str(body_html(view.text.body)),
        transcript=view.text.transcript,
        has_media=bool(view.revision.media),
        saved=selectors.item_is_saved(person, view.item),
        helped=rating.helped if rating else None,
    )


def _draft(user: object, body: ItemIn) -> services.ItemDraft:
    texts = {DEFAULT_LANGUAGE: services.TextIn(**body.english.dict())}
    if body.welsh is not None:
        texts["cy"] = services.TextIn(**body.welsh.dict())
    prisons = tuple(prisons_for_editor(user).filter(pk__in=body.prison_ids))
    if len(prisons) != len(set(body.prison_ids)):
        raise DjangoValidationError("You can only choose prisons in your own area.")
    return services.ItemDraft(
        texts=texts,
        targeting=services.Targeting(audience=body.audience, all_prisons=body.all_prisons, prisons=prisons),
        kind=body.kind,
        topics=tuple(Topic.objects.filter(slug__in=body.topic_slugs)),
    )


def _editor_out(item: Item) -> EditorItemOut:
    item.refresh_from_db()
    revision = item.revisions.order_by("-number").prefetch_related("texts").first()
    assert revision is not None
    return EditorItemOut(
        id=item.pk,
        state=ItemState(item.state),
        revision=revision.number,
        needs_approval=revision.needs_approval,
        approved=revision.approved_by_id is not None,
        live=item.live_revision_id is not None,
        publish_at=item.publish_at,
        title=revision.text_in(DEFAULT_LANGUAGE).title,
    )
