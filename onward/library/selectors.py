"""Every read of the library: a person's items by the targeting rule, and the editors' lists."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from onward.core.permissions import require
from onward.library.models import Item, Rating, Revision, RevisionText, SavedItem, Topic
from onward.library.rules import items_visible_to_person
from onward.library.search import search_index
from onward.people.models import Person

NEW_ITEMS_MAX = 10
EDITOR_LIST_MAX = 200


@dataclass(frozen=True)
class ItemView:
    """An item as a person reads it: the live revision's words in their language, or English."""

    item: Item
    revision: Revision
    text: RevisionText

    @property
    def translated(self) -> bool:
        return self.text.language != "en-gb"


def library_person(user: Any) -> Person:
    require(user, "library.read")
    return Person.objects.select_related("unit__parent").get(pk=user.person_id)


def items_new(person: Person, language: str, limit: int = NEW_ITEMS_MAX) -> list[ItemView]:
    return _views(items_visible_to_person(person).order_by("-published_at", "-pk")[:limit], language)


def items_in_topic(person: Person, topic: Topic, language: str) -> list[ItemView]:
    return _views(
        items_visible_to_person(person).filter(topics=topic).order_by("series_position", "-published_at"), language
    )


def items_in_topic_slugs(person: Person, slugs: list[str], language: str, limit: int = NEW_ITEMS_MAX) -> list[ItemView]:
    """Items the person may read in any of these topics (by slug), for apps that suggest reading."""
    if not slugs:
        return []
    found = items_visible_to_person(person).filter(topics__slug__in=slugs).distinct()
    return _views(found.order_by("series_position", "-published_at", "pk")[:limit], language)


def items_saved(person: Person, language: str) -> list[ItemView]:
    saved = SavedItem.objects.filter(person=person).values("item_id")
    return _views(items_visible_to_person(person).filter(pk__in=saved).order_by("-published_at"), language)


def items_search(person: Person, query: str, language: str) -> list[ItemView]:
    scope = items_visible_to_person(person)
    hits = search_index().search(
        query, language, lambda ids: set(scope.filter(pk__in=ids).values_list("pk", flat=True))
    )
    by_id = {view.item.pk: view for view in _views(scope.filter(pk__in=[h.item_id for h in hits]), language)}
    return [by_id[h.item_id] for h in hits if h.item_id in by_id]


def item_for_person(person: Person, item_id: int, language: str) -> ItemView:
    """One item the person may read; the same 404 whether it exists elsewhere or not at all."""
    views = _views(items_visible_to_person(person).filter(pk=item_id), language)
    if not views:
        raise Http404
    return views[0]


def topics_for_person(person: Person) -> list[Topic]:
    """Topics with at least one item this person may read."""
    visible = items_visible_to_person(person).values("pk")
    return list(Topic.objects.filter(items__in=visible).distinct().order_by("position", "name"))


def item_is_saved(person: Person, item: Item) -> bool:
    return SavedItem.objects.filter(person=person, item=item).exists()


def item_rating(person: Person, item: Item) -> Rating | None:
    return Rating.objects.filter(person=person, item=item).first()


# --- Editors ------------------------------------------------------------------------------------


def items_for_editor(user: Any, state: str = "") -> QuerySet[Item]:
    require(user, "library.edit")
    items = Item.objects.prefetch_related(_newest_revision_prefetch(), "topics").order_by("-updated_at", "-pk")
    if state:
        items = items.filter(state=state)
    return items[:EDITOR_LIST_MAX]


def item_for_editor(user: Any, item_id: int) -> Item:
    require(user, "library.edit")
    try:
        return Item.objects.prefetch_related("topics", "prisons").get(pk=item_id)
    except Item.DoesNotExist:
        raise Http404 from None


def item_revisions(item: Item) -> list[Revision]:
    return list(
        item.revisions.select_related("created_by", "approved_by")
        .prefetch_related("texts", "prisons")
        .order_by("-number")
    )


def newest_revision(item: Item) -> Revision:
    revisions = getattr(item, "newest_revisions", None)
    if revisions is not None:
        return revisions[0]
    return item.revisions.prefetch_related("texts", "prisons").order_by("-number")[0]


def _newest_revision_prefetch() -> Prefetch[Any]:
    # Every revision with its texts; lists show the newest (few items have many revisions).
    return Prefetch(
        "revisions",
        queryset=Revision.objects.prefetch_related("texts").order_by("-number"),
        to_attr="newest_revisions",
    )


def _views(items: Any, language: str) -> list[ItemView]:
    items = list(items.select_related("live_revision", "series").prefetch_related("live_revision__texts", "topics"))
    views = []
    for item in items:
        revision = item.live_revision
        views.append(ItemView(item=item, revision=revision, text=revision.text_in(language)))
    return views
