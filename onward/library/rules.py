"""Who may read the library and who may write it.

A person reads items aimed at where they are: in custody, items for custody at all prisons or at
their prison; in the community, items for the community. Content editors write; a second editor
approves anything shown in custody (not the one who wrote the revision).
"""

from collections.abc import Set
from typing import Any

from django.db.models import Q, QuerySet

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.library.models import COMMUNITY_AUDIENCES, CUSTODY_AUDIENCES, Item, ItemState
from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.organisations.roles import has_role, staff_roles
from onward.organisations.selectors import units_under
from onward.people.models import Person

EDITOR_ROLES = (Role.CONTENT_EDITOR,)


def items_visible_to_person(person: Person) -> QuerySet[Item]:
    """Published items aimed at this person, by the same rule as `item_visible_to`."""
    live = Item.objects.filter(live_revision__isnull=False).exclude(state=ItemState.WITHDRAWN)
    if person.in_custody:
        prison = person.unit.prison()
        chosen = Item.prisons.through.objects.filter(orgunit_id=prison.pk if prison else 0).values("item_id")
        return live.filter(Q(all_prisons=True) | Q(pk__in=chosen), audience__in=CUSTODY_AUDIENCES)
    return live.filter(audience__in=COMMUNITY_AUDIENCES)


def item_visible_to(person: Person, item: Item, prison_ids: set[int] | None = None) -> bool:
    """Whether a published item is aimed at this person (pass `prison_ids` to avoid a query)."""
    if item.live_revision_id is None or item.state == ItemState.WITHDRAWN:
        return False
    prison = person.unit.prison() if person.in_custody else None
    if person.in_custody and not item.all_prisons and prison_ids is None:
        prison_ids = set(item.prisons.values_list("pk", flat=True))
    return targeting_allows(item.audience, item.all_prisons, prison_ids or set(), person.in_custody, prison)


def targeting_allows(
    audience: str, all_prisons: bool, prison_ids: Set[int], in_custody: bool, prison: OrgUnit | None
) -> bool:
    """The targeting rule itself, on plain values (search applies it to thousands of hits)."""
    if not in_custody:
        return audience in COMMUNITY_AUDIENCES
    if audience not in CUSTODY_AUDIENCES:
        return False
    return all_prisons or (prison is not None and prison.pk in prison_ids)


def prisons_for_editor(user: Any) -> QuerySet[OrgUnit]:
    """The prisons an editor may aim an item at: those under the units where they hold the editor role."""
    return units_under([held.unit.path for held in staff_roles(user) if held.role in EDITOR_ROLES], [UnitKind.PRISON])


@rule("library.read")
def can_read_library(user: Any, item: Item | None) -> bool:
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return item is None or item_visible_to(user.person, item)


@rule("library.edit")
def can_edit_library(user: Any, item: Item | None) -> bool:
    return is_staff_user(user) and has_role(user, *EDITOR_ROLES)


@rule("library.approve")
def can_approve(user: Any, item: Item | None) -> bool:
    """A second editor approves the newest revision: never the one who wrote it."""
    if not can_edit_library(user, None):
        return False
    if item is None:
        return True
    newest = item.revisions.order_by("-number").first()
    return newest is not None and newest.created_by_id != user.pk


@rule("library.publish")
def can_publish(user: Any, item: Item | None) -> bool:
    """Community-only items go out on an editor's word; anything for custody only once approved."""
    if not can_edit_library(user, None):
        return False
    if item is None:
        return True
    newest = item.revisions.order_by("-number").first()
    if newest is None:
        return False
    return not newest.needs_approval or newest.approved_by_id is not None
