"""Every change to the library. Each checks the policy, follows the workflow table and writes its audit
event in the same transaction. Publishing and withdrawing bump `ContentVersion`, so search indexes rebuild.

Scheduled items go live through the periodic job `library_publish_due` (every 5 minutes, in
onward/jobs/schedule.py), which calls `items_publish_due`.
"""

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.accounts.actors import PersonUser, StaffUser
from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.approval import may_approve
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.library.models import (
    DEFAULT_LANGUAGE,
    ITEM_TRANSITIONS,
    ContentVersion,
    Item,
    ItemKind,
    ItemState,
    Rating,
    Revision,
    RevisionText,
    SavedItem,
    Series,
    Topic,
)
from onward.library.rules import prisons_for_editor
from onward.organisations.models import OrgUnit

TITLE_MAX_CHARS = 150
SUMMARY_MAX_CHARS = 300
BODY_MAX_CHARS = 50_000
REASON_MAX_CHARS = 500
# What each kind of item may carry, by the file's first bytes (never by its name or the browser's word).
MEDIA_SIGNATURES: dict[str, tuple[tuple[int, bytes, str], ...]] = {
    ItemKind.PDF: ((0, b"%PDF-", "application/pdf"),),
    ItemKind.AUDIO: (
        (0, b"ID3", "audio/mpeg"),
        (0, b"\xff\xfb", "audio/mpeg"),
        (0, b"\xff\xf3", "audio/mpeg"),
        (0, b"OggS", "audio/ogg"),
        (8, b"WAVE", "audio/wav"),
        (4, b"ftypM4A", "audio/mp4"),
    ),
    ItemKind.VIDEO: ((4, b"ftyp", "video/mp4"), (0, b"\x1a\x45\xdf\xa3", "video/webm")),
}


@dataclass(frozen=True)
class TextIn:
    title: str
    summary: str = ""
    body: str = ""
    transcript: str = ""


@dataclass(frozen=True)
class Targeting:
    audience: str
    all_prisons: bool = True
    prisons: tuple[OrgUnit, ...] = ()


@dataclass(frozen=True)
class ItemDraft:
    """What an editor writes: the words (English, and translations by language code) and who it is for."""

    texts: Mapping[str, TextIn]
    targeting: Targeting
    kind: str = ItemKind.ARTICLE
    topics: tuple[Topic, ...] = ()
    series: Series | None = None
    series_position: int = 0
    media: UploadedFile | None = None
    keep_media: bool = True  # a new revision keeps the last one's file unless a new one comes


# --- Editors ------------------------------------------------------------------------------------


def item_create(*, actor: StaffUser, draft: ItemDraft) -> Item:
    require(actor, "library.edit")
    _check_draft(actor, draft)
    with transaction.atomic():
        item = Item.objects.create(
            kind=draft.kind,
            series=draft.series,
            series_position=draft.series_position,
            created_by=actor,
            audience=draft.targeting.audience,
            all_prisons=draft.targeting.all_prisons,
        )
        item.topics.set(draft.topics)
        revision = _revision_add(actor, item, draft, previous=None)
        audit_record(
            actor=actor,
            role="content_editor",
            action=AuditAction.LIBRARY_ITEM_CREATED,
            target=item,
            data=_summary(revision),
        )
    return item


def item_edit(*, actor: StaffUser, item: Item, draft: ItemDraft) -> Revision:
    """A new revision. The item goes back to draft; what people see stays as it was until it is published."""
    require(actor, "library.edit", item)
    _check_draft(actor, draft)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        previous = item.revisions.order_by("-number").first()
        if item.state != ItemState.DRAFT:
            _move(item, ItemState.DRAFT)
        item.kind = draft.kind
        item.series = draft.series
        item.series_position = draft.series_position
        item.updated_at = timezone.now()
        item.publish_at = None
        item.save()
        item.topics.set(draft.topics)
        revision = _revision_add(actor, item, draft, previous=previous)
        audit_record(
            actor=actor,
            role="content_editor",
            action=AuditAction.LIBRARY_ITEM_EDITED,
            target=item,
            data=_summary(revision),
        )
    return revision


def item_submit(*, actor: StaffUser, item: Item) -> Item:
    """Ask another editor to approve the newest revision."""
    require(actor, "library.edit", item)
    return _transition(actor, item, ItemState.IN_REVIEW, AuditAction.LIBRARY_ITEM_SUBMITTED)


def item_approve(*, actor: StaffUser, item: Item) -> Item:
    """A second editor approves the newest revision. The one who wrote it cannot."""
    require(actor, "library.approve", item)
    with transaction.atomic():
        revision = _newest(item)
        if not may_approve(revision.created_by_id, actor.pk):
            raise PermissionDenied("library.approve")
        revision.approved_by = actor
        revision.approved_at = timezone.now()
        revision.save(update_fields=["approved_by", "approved_at"])
        return _transition(
            actor, item, ItemState.APPROVED, AuditAction.LIBRARY_ITEM_APPROVED, data={"revision": revision.number}
        )


def item_return(*, actor: StaffUser, item: Item, reason: str) -> Item:
    """Send an item back to its editor from review, saying what to change."""
    require(actor, "library.edit", item)
    if item.state != ItemState.IN_REVIEW:
        raise ValidationError(_("Only an item waiting for approval can be sent back."))
    return _transition(actor, item, ItemState.DRAFT, AuditAction.LIBRARY_ITEM_RETURNED, reason=_reason(reason))


def item_publish(*, actor: StaffUser, item: Item, at: datetime.datetime | None = None) -> Item:
    """Publish the newest revision now, or at a time to come (the item is then scheduled)."""
    require(actor, "library.publish", item)
    now = timezone.now()
    if at is not None and at > now:
        with transaction.atomic():
            item = _transition(
                actor, item, ItemState.SCHEDULED, AuditAction.LIBRARY_ITEM_SCHEDULED, data={"publish_at": at}
            )
            Item.objects.filter(pk=item.pk).update(publish_at=at)
            item.publish_at = at
        return item
    with transaction.atomic():
        item = _transition(actor, item, ItemState.PUBLISHED, AuditAction.LIBRARY_ITEM_PUBLISHED)
        _go_live(item, now)
    return item


PUBLISH_DUE_ACTOR = SystemActor("library_publish_due")


def items_publish_due() -> dict[str, int]:
    """The periodic job: scheduled items whose time has come go live (approval checked again)."""
    now = timezone.now()
    published = skipped = 0
    for item_id in Item.objects.filter(state=ItemState.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=item_id)
            if item.state != ItemState.SCHEDULED or item.publish_at is None or item.publish_at > now:
                continue  # another scheduler got there first, or an editor changed it
            revision = _newest(item)
            if revision.needs_approval and revision.approved_by_id is None:
                skipped += 1
                continue
            _move(item, ItemState.PUBLISHED)
            item.save(update_fields=["state"])
            _go_live(item, item.publish_at)
            audit_record(
                actor=PUBLISH_DUE_ACTOR,
                role="scheduler",
                action=AuditAction.LIBRARY_ITEM_PUBLISHED,
                target=item,
                data={"revision": revision.number, "scheduled_for": item.publish_at},
            )
            published += 1
    return {"published": published, "skipped": skipped}


def item_withdraw(*, actor: StaffUser, item: Item, reason: str) -> Item:
    """Take an item out of the library at once. Its revisions stay; editing it starts the way back."""
    require(actor, "library.edit", item)
    reason = _reason(reason)
    with transaction.atomic():
        item = _transition(actor, item, ItemState.WITHDRAWN, AuditAction.LIBRARY_ITEM_WITHDRAWN, reason=reason)
        Item.objects.filter(pk=item.pk).update(live_revision=None, publish_at=None)
        item.live_revision = None
        _content_changed()
    return item


# --- People -------------------------------------------------------------------------------------


def item_save(*, actor: PersonUser, item: Item) -> SavedItem:
    require(actor, "library.read", item)
    with transaction.atomic():
        saved, created = SavedItem.objects.get_or_create(person_id=actor.person_id, item=item)
        if created:
            audit_record(
                actor=actor, role="person", action=AuditAction.LIBRARY_ITEM_SAVED, person=actor.person, target=item
            )
    return saved


def item_unsave(*, actor: PersonUser, item: Item) -> None:
    require(actor, "library.read")
    with transaction.atomic():
        deleted, _count = SavedItem.objects.filter(person_id=_person_id(actor), item=item).delete()
        if deleted:
            audit_record(
                actor=actor, role="person", action=AuditAction.LIBRARY_ITEM_UNSAVED, person=actor.person, target=item
            )


def item_rate(*, actor: PersonUser, item: Item, helped: bool, reason: str = "") -> Rating:
    """ "Did this help?" Yes or no, with an optional reason; answering again changes the answer."""
    require(actor, "library.read", item)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(_("Your reason must be %(n)s characters or fewer.") % {"n": REASON_MAX_CHARS})
    with transaction.atomic():
        rating, _created = Rating.objects.update_or_create(
            person_id=actor.person_id,
            item=item,
            defaults={"helped": helped, "reason": reason, "rated_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.LIBRARY_ITEM_RATED,
            person=actor.person,
            target=item,
            data={"helped": helped},
        )
    return rating


# --- Helpers ------------------------------------------------------------------------------------


def _person_id(actor: PersonUser) -> int:
    """The signed-in person's record (the database ties every person's account to one)."""
    if actor.person_id is None:
        raise PermissionDenied("library.read")
    return actor.person_id


def _transition(
    actor: StaffUser, item: Item, to: str, action: AuditAction, *, reason: str = "", data: dict[str, Any] | None = None
) -> Item:
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        _move(item, to)
        item.updated_at = timezone.now()
        item.save(update_fields=["state", "updated_at"])
        revision = _newest(item)
        audit_record(
            actor=actor,
            role="content_editor",
            action=action,
            target=item,
            reason=reason,
            data={"revision": revision.number, **(data or {})},
        )
    return item


def _move(item: Item, to: str) -> None:
    if to not in ITEM_TRANSITIONS[item.state]:
        raise ValidationError(
            _("This item is %(state)s: it cannot be %(to)s now.")
            % {"state": ItemState(item.state).label.lower(), "to": ItemState(to).label.lower()}
        )
    item.state = to


def _go_live(item: Item, when: datetime.datetime | None) -> None:
    """Show the newest revision, aimed as it says."""
    revision = _newest(item)
    if revision.needs_approval and revision.approved_by_id is None:
        raise PermissionDenied("library.publish")
    item.live_revision = revision
    item.audience = revision.audience
    item.all_prisons = revision.all_prisons
    item.published_at = when or timezone.now()
    item.publish_at = None
    item.save(update_fields=["live_revision", "audience", "all_prisons", "published_at", "publish_at"])
    item.prisons.set(revision.prisons.all())
    _content_changed()


def _content_changed() -> None:
    """Search indexes in every process rebuild on their next search, once this transaction commits."""
    token = uuid.uuid4().hex
    updated = ContentVersion.objects.filter(pk=1).update(number=F("number") + 1, token=token)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1, "token": token})


def _newest(item: Item) -> Revision:
    revision = item.revisions.order_by("-number").first()
    if revision is None:
        raise ValidationError(_("This item has no content yet."))
    return revision


def _revision_add(actor: StaffUser, item: Item, draft: ItemDraft, previous: Revision | None) -> Revision:
    revision = Revision.objects.create(
        item=item,
        number=(previous.number + 1) if previous else 1,
        created_by=actor,
        audience=draft.targeting.audience,
        all_prisons=draft.targeting.all_prisons,
    )
    if not draft.targeting.all_prisons:
        revision.prisons.set(draft.targeting.prisons)
    if draft.media is not None:
        revision.media_type = _media_type(draft.kind, draft.media)
        revision.media.save(draft.media.name or "media", draft.media, save=True)
        revision.save(update_fields=["media_type"])
    elif previous is not None and previous.media and draft.keep_media:
        Revision.objects.filter(pk=revision.pk).update(media=previous.media.name, media_type=previous.media_type)
    RevisionText.objects.bulk_create(
        RevisionText(
            revision=revision,
            language=language,
            title=text.title.strip(),
            summary=text.summary.strip(),
            body=text.body.strip(),
            transcript=text.transcript.strip(),
        )
        for language, text in draft.texts.items()
        if text.title.strip()
    )
    return revision


def _check_draft(actor: StaffUser, draft: ItemDraft) -> None:
    languages = {code for code, _name in settings.LANGUAGES}
    english = draft.texts.get(DEFAULT_LANGUAGE)
    if english is None or not english.title.strip():
        raise ValidationError(_("Enter a title in English."))
    for language, text in draft.texts.items():
        if language not in languages:
            raise ValidationError(_("We do not publish in that language."))
        _check_lengths(text)
    if draft.kind not in ItemKind.values:
        raise ValidationError(_("Choose what kind of item this is."))
    if draft.kind == ItemKind.ARTICLE and not english.body.strip():
        raise ValidationError(_("Enter the article's words in English."))
    if draft.kind in (ItemKind.AUDIO, ItemKind.VIDEO) and not english.transcript.strip():
        raise ValidationError(_("Enter a transcript: everything that is said, for people who cannot listen."))
    targeting = draft.targeting
    if targeting.audience not in {"custody", "community", "both"}:
        raise ValidationError(_("Choose who the item is for."))
    if not targeting.all_prisons:
        if not targeting.prisons:
            raise ValidationError(_("Choose at least one prison, or choose all prisons."))
        allowed = set(prisons_for_editor(actor).values_list("pk", flat=True))
        if any(prison.pk not in allowed for prison in targeting.prisons):
            raise ValidationError(_("You can only choose prisons in your own area."))
    if draft.media is not None and draft.media.size > settings.LIBRARY_MEDIA_MAX_BYTES:
        raise ValidationError(
            _("The file is too big. It must be %(n)s MB or smaller.")
            % {"n": settings.LIBRARY_MEDIA_MAX_BYTES // (1024 * 1024)}
        )


def _check_lengths(text: TextIn) -> None:
    for value, limit in ((text.title, TITLE_MAX_CHARS), (text.summary, SUMMARY_MAX_CHARS), (text.body, BODY_MAX_CHARS)):
        if len(value) > limit:
            raise ValidationError(_("Some text is too long. Keep it to %(n)s characters.") % {"n": limit})
    if len(text.transcript) > BODY_MAX_CHARS:
        raise ValidationError(_("Some text is too long. Keep it to %(n)s characters.") % {"n": BODY_MAX_CHARS})


def _media_type(kind: str, media: UploadedFile) -> str:
    media.seek(0)
    head = media.read(16)
    media.seek(0)
    for offset, signature, content_type in MEDIA_SIGNATURES.get(kind, ()):
        if head[offset : offset + len(signature)] == signature:
            return content_type
    raise ValidationError(_("That file is not a kind we can use here. Use a PDF, an MP3 or an MP4 file."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why."))
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(_("Your reason must be %(n)s characters or fewer.") % {"n": REASON_MAX_CHARS})
    return reason


def _summary(revision: Revision) -> dict[str, Any]:
    return {
        "revision": revision.number,
        "audience": revision.audience,
        "all_prisons": revision.all_prisons,
        "languages": sorted(revision.texts.values_list("language", flat=True)),
    }


def topics_for(ids: Iterable[int]) -> tuple[Topic, ...]:
    return tuple(Topic.objects.filter(pk__in=list(ids)))
