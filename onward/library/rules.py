"""Who may read the library and who may write it.

A person reads items aimed at where they are: in custody, items for custody at all prisons or at
their prison; in the community, items for the community. Content editors write; a second editor
approves anything shown in custody (not the one who wrote the revision).
"""

from typing import Any

from django.db.models import Q, QuerySet

from onward.core.actors import UserKind, is_staff_user
from onward.core.approval import may_approve, may_publish
from onward.core.permissions import rule
from onward.core.policy import Grant, Policy
from onward.library.models import COMMUNITY_AUDIENCES, CUSTODY_AUDIENCES, Item, ItemState
from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.organisations.roles import has_role, staff_roles
from onward.organisations.selectors import units_under
from onward.people.models import Person

EDITOR_ROLES = (Role.CONTENT_EDITOR,)


class LibraryPolicy(Policy[Item]):
    """Which published items a person may read: the one targeting rule for pages, search and checks.

    The actor is the reader (a `Person`). Live items only (published and not withdrawn): in custody,
    those for custody at all prisons or at their prison; otherwise, those for the community.
    """

    model = Item
    name = "library.item"

    def grants(self, actor: Any) -> list[Grant]:
        reader: Person = actor
        live = Q(live_revision__isnull=False) & ~Q(state=ItemState.WITHDRAWN)
        if not reader.in_custody:
            return [Grant(live & Q(audience__in=COMMUNITY_AUDIENCES), "person")]
        prison = reader.unit.prison()
        at_my_prison = Q(all_prisons=True)
        if prison is not None:
            at_my_prison |= Q(pk__in=Item.prisons.through.objects.filter(orgunit_id=prison.pk).values("item_id"))
        return [Grant(live & Q(audience__in=CUSTODY_AUDIENCES) & at_my_prison, "person")]


LIBRARY = LibraryPolicy()


def items_visible_to_person(person: Person) -> QuerySet[Item]:
    """Published items aimed at this person (the policy's scope)."""
    return LIBRARY.scope(person)


def item_visible_to(person: Person, item: Item) -> bool:
    """Whether a published item is aimed at this person (the same scope, asked about one item)."""
    return LIBRARY.allows(person, item)


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
    return newest is not None and may_approve(newest.created_by_id, user.pk)


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
    return may_publish(newest.audience, newest.approved_by_id)
