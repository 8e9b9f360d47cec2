"""Who may read and write which conversations, review screened messages, approve contacts and broadcast.

A person reads only their own conversations. Staff reach a staff conversation through the person
(their caseload, a manager their team's: the people policy); contact conversations only through a
security role at the person's prison. Security review held and flagged messages in their prison.

Word lists: a prison's screening list is kept by security at that prison (or above it) and by
administrators over it; a probation delivery unit's risk words by its senior practitioners or managers
and by administrators. Nobody edits another prison's or unit's list.
"""

from functools import partial
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.core.policy import ROLE_ANNOTATION, Grant, Policy
from onward.messaging.models import (
    ApprovedContact,
    Conversation,
    ConversationKind,
    FlagKind,
    Message,
    MessageState,
    WordList,
)
from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.organisations.roles import has_role, staff_roles
from onward.people.models import Person
from onward.people.rules import PEOPLE

MESSAGING_STAFF_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)
BROADCAST_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.CONTENT_EDITOR)
# Who keeps which kind of unit's word list: a prison's screening words, a PDU's risk words.
WORD_LIST_ROLES: dict[str, tuple[str, ...]] = {
    UnitKind.PRISON: (Role.SECURITY, Role.ADMINISTRATOR),
    UnitKind.PDU: (Role.SENIOR, Role.ADMINISTRATOR),
}


class ConversationPolicy(Policy[Conversation]):
    """Who reads which conversation, and as what: a person their own; staff with a messaging role the
    staff conversations of the people they reach (in the role they reach them through); security the
    contact conversations of people at or below their units."""

    model = Conversation
    name = "conversation"

    def grants(self, actor: Any) -> list[Grant]:
        if not getattr(actor, "is_authenticated", False):
            return []
        if actor.kind == UserKind.PERSON:
            return [Grant(Q(person_id=actor.person_id), "person")]
        if not is_staff_user(actor):
            return []
        grants = []
        if has_role(actor, *MESSAGING_STAFF_ROLES):
            staff_kind = Q(kind=ConversationKind.STAFF, person__in=PEOPLE.scope(actor))
            grants.append(Grant(staff_kind, partial(_role_reaching_person, actor)))
        security_paths = _security_paths(actor)
        if security_paths:
            grants.append(
                Grant(Q(kind=ConversationKind.CONTACT) & _under(security_paths, "person__unit__path"), "security")
            )
        return grants


CONVERSATIONS = ConversationPolicy()


def conversations_visible_to(user: Any) -> QuerySet[Conversation]:
    """Every conversation this user may read (the policy's scope)."""
    return CONVERSATIONS.scope(user)


class ReviewPolicy(Policy[Message]):
    """Which messages security review: those screening held (or that were held) and those the word list
    flagged, in conversations of people at or below the units where they hold the security role.
    Security do not browse ordinary conversations, and a message still being screened is not theirs yet."""

    model = Message
    name = "message.review"

    def grants(self, actor: Any) -> list[Grant]:
        paths = _security_paths(actor)
        if not paths or not is_staff_user(actor):
            return []
        screened = Q(state__in=[MessageState.HELD, MessageState.RELEASED, MessageState.BLOCKED]) | Q(
            flag=FlagKind.SCREENING
        )
        return [Grant(screened & _under(paths, "conversation__person__unit__path"), "security")]


REVIEW = ReviewPolicy()


def messages_for_review(user: Any) -> QuerySet[Message]:
    """Held messages, and delivered messages flagged by the word list, in this security officer's prisons."""
    return REVIEW.scope(user)


def contacts_managed_by(user: Any) -> QuerySet[ApprovedContact]:
    paths = _security_paths(user)
    if not paths or not is_staff_user(user):
        return ApprovedContact.objects.none()
    return ApprovedContact.objects.filter(_under(paths, "person__unit__path"))


@rule("messaging.inbox")
def can_open_inbox(user: Any, obj: Any) -> bool:
    """A person's own messages, or a member of staff who messages the people they work with."""
    if user.kind == UserKind.PERSON:
        return True
    return is_staff_user(user) and has_role(user, *MESSAGING_STAFF_ROLES)


@rule("messaging.staff_inbox")
def can_open_staff_inbox(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, *MESSAGING_STAFF_ROLES)


@rule("conversation.view")
def can_view_conversation(user: Any, conversation: Conversation | None) -> bool:
    if conversation is None:
        return can_open_inbox(user, None) or bool(_security_paths(user))
    return CONVERSATIONS.allows(user, conversation)


@rule("conversation.write")
def can_write(user: Any, conversation: Conversation | None) -> bool:
    """A person writes to their staff and to approved contacts only; staff write to the people they work with."""
    if conversation is None:
        return can_open_inbox(user, None)
    if user.kind == UserKind.PERSON:
        if conversation.person_id != user.person_id:
            return False
        return conversation.kind == ConversationKind.STAFF or bool(
            conversation.contact is not None and conversation.contact.may_write
        )
    # Staff reach a staff conversation only through their messaging role (security's grant is for contacts).
    return (
        user.kind == UserKind.STAFF
        and conversation.kind == ConversationKind.STAFF
        and CONVERSATIONS.allows(user, conversation)
    )


@rule("messaging.review")
def can_review(user: Any, message: Message | None) -> bool:
    if message is None:
        return is_staff_user(user) and bool(_security_paths(user))
    return REVIEW.allows(user, message)


@rule("contact.manage")
def can_manage_contacts(user: Any, obj: ApprovedContact | Person | None) -> bool:
    if obj is None:
        return is_staff_user(user) and bool(_security_paths(user))
    person = obj.person if isinstance(obj, ApprovedContact) else obj
    return is_staff_user(user) and person.in_custody and _in_security_scope(user, person)


@rule("broadcast.send")
def can_broadcast(user: Any, unit: Any) -> bool:
    """Staff with a broadcasting role, to a unit they work at or below (any such role may reach their caseload)."""
    if not is_staff_user(user) or not has_role(user, *BROADCAST_ROLES):
        return False
    if unit is None:
        return True
    return any(held.role in BROADCAST_ROLES and unit.path.startswith(held.unit.path) for held in staff_roles(user))


@rule("wordlist.manage")
def can_manage_word_list(user: Any, obj: WordList | OrgUnit | None) -> bool:
    """Without an object: may open the word list pages at all. With a list or unit: may see and change it."""
    if not is_staff_user(user):
        return False
    if obj is None:
        return has_role(user, *{role for roles in WORD_LIST_ROLES.values() for role in roles})
    unit = obj.unit if isinstance(obj, WordList) else obj
    return word_list_role(user, unit) is not None


class WordListPolicy(Policy[OrgUnit]):
    """Whose word lists a member of staff keeps: each role in `WORD_LIST_ROLES`, for the units of the
    kinds it keeps at or below where it is held, in that role."""

    model = OrgUnit
    name = "wordlist.unit"

    def grants(self, actor: Any) -> list[Grant]:
        if not is_staff_user(actor):
            return []
        grants = []
        for held in staff_roles(actor):
            kinds = [kind for kind, roles in WORD_LIST_ROLES.items() if held.role in roles]
            if kinds:
                grants.append(Grant(Q(kind__in=kinds, path__startswith=held.unit.path), str(held.role)))
        return grants


WORD_LISTS = WordListPolicy()


def word_list_role(user: Any, unit: OrgUnit) -> str | None:
    """The role this user keeps this unit's word list in, or None."""
    return WORD_LISTS.role_for(user, unit)


def word_list_units_for(user: Any) -> QuerySet[OrgUnit]:
    """The prisons and delivery units whose word lists this user keeps (the list pages' scope)."""
    return WORD_LISTS.scope(user)


@rule("messaging.contact_link")
def refuse_accounts(user: Any, obj: Any) -> bool:
    """The contact's reply page is opened by its link's token, never by an account."""
    return False


def _role_reaching_person(actor: Any) -> Subquery:
    """The role through which this actor reaches the conversation's person (the people policy's)."""
    reached = PEOPLE.scope_with_role(actor).filter(pk=OuterRef("person_id"))
    return Subquery(reached.values(ROLE_ANNOTATION)[:1])


def _security_paths(user: Any) -> list[str]:
    return [held.unit.path for held in staff_roles(user) if held.role == Role.SECURITY]


def _in_security_scope(user: Any, person: Person) -> bool:
    return any(person.unit.path.startswith(path) for path in _security_paths(user))


def _under(paths: list[str], field: str) -> Q:
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(**{f"{field}__startswith": path})
    return scope
