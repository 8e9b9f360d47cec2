"""The conversation, review and word list policies: lists and single checks agree, over generated worlds.

The worlds are the people policy's (onward/people/tests/test_policy.py), with each person's staff
conversation, a conversation with a synthetic approved contact, and messages in every state and flag.
For every (user, conversation), (user, message) and (user, unit) pair: in the scope exactly when allowed, the role
annotation and `role_for` agree, the registered rules agree, and all match a plain statement here.
"""

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.core.actors import UserKind
from onward.core.permissions import can
from onward.core.policy import ROLE_ANNOTATION
from onward.messaging.models import (
    ApprovedContact,
    AuthorKind,
    Conversation,
    ConversationKind,
    FlagKind,
    Message,
    MessageState,
)
from onward.messaging.rules import CONVERSATIONS, MESSAGING_STAFF_ROLES, REVIEW, WORD_LIST_ROLES, WORD_LISTS
from onward.organisations.models import OrgUnit, Role, StaffRole
from onward.people.tests.test_policy import WorldPlan, expected_role, world_build, world_plans

pytestmark = pytest.mark.django_db

REVIEWABLE_STATES = {MessageState.HELD, MessageState.RELEASED, MessageState.BLOCKED}


def conversations_build(world: Any, data: st.DataObject) -> tuple[list[Conversation], list[Message]]:
    conversations: list[Conversation] = []
    messages: list[Message] = []
    for person in world.people:
        contact = ApprovedContact.objects.create(
            person=person, name="Synthetic contact", relationship="Friend", email="contact@example.test"
        )
        pair = [
            Conversation.objects.create(person=person, kind=ConversationKind.STAFF),
            Conversation.objects.create(person=person, kind=ConversationKind.CONTACT, contact=contact),
        ]
        for conversation in pair:
            for state, flag in data.draw(
                st.lists(st.tuples(st.sampled_from(list(MessageState)), st.sampled_from(list(FlagKind))), max_size=2)
            ):
                messages.append(
                    Message.objects.create(
                        conversation=conversation,
                        author_kind=AuthorKind.CONTACT,
                        author_contact=contact,
                        body="Synthetic message",
                        state=state,
                        flag=flag,
                        block_reason="Synthetic reason" if state == MessageState.BLOCKED else "",
                    )
                )
        conversations += pair
    return conversations, messages


def security_paths(user: Any) -> list[str]:
    if getattr(user, "kind", None) != UserKind.STAFF or not user.is_verified():
        return []
    return [r.unit.path for r in StaffRole.objects.filter(user=user, role=Role.SECURITY).select_related("unit")]


def expected_conversation_role(user: Any, conversation: Conversation) -> str:
    """The rule in plain Python: "" when the user may not read the conversation."""
    if not user.is_authenticated:
        return ""
    if user.kind == UserKind.PERSON:
        return "person" if conversation.person_id == user.person_id else ""
    if conversation.kind == ConversationKind.CONTACT:
        under = any(conversation.person.unit.path.startswith(path) for path in security_paths(user))
        return "security" if under else ""
    messaging = StaffRole.objects.filter(user=user, role__in=MESSAGING_STAFF_ROLES).exists()
    return expected_role(user, conversation.person) if messaging else ""


def expected_reviewable(user: Any, message: Message) -> bool:
    screened = message.state in REVIEWABLE_STATES or message.flag == FlagKind.SCREENING
    person = message.conversation.person
    return screened and any(person.unit.path.startswith(path) for path in security_paths(user))


def expected_word_list_role(user: Any, unit: OrgUnit) -> str:
    if getattr(user, "kind", None) != UserKind.STAFF or not user.is_verified():
        return ""
    for held in StaffRole.objects.filter(user=user).select_related("unit").order_by("pk"):
        if held.role in WORD_LIST_ROLES.get(unit.kind, ()) and unit.path.startswith(held.unit.path):
            return held.role
    return ""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=world_plans(), data=st.data())
def test_conversation_and_review_lists_agree_with_single_checks(plan: WorldPlan, data: st.DataObject) -> None:
    with transaction.atomic():
        world = world_build(plan)
        conversations, messages = conversations_build(world, data)
        for made in world.users:
            user = world.fresh(made)
            listed = dict(CONVERSATIONS.scope_with_role(user).values_list("pk", ROLE_ANNOTATION))
            for conversation in conversations:
                single = world.fresh(made)
                role = CONVERSATIONS.role_for(single, conversation)
                assert (
                    (conversation.pk in listed) == (role is not None) == can(single, "conversation.view", conversation)
                )
                assert (
                    (role or "") == listed.get(conversation.pk, "") == expected_conversation_role(single, conversation)
                )
            reviewable = set(REVIEW.scope(user).values_list("pk", flat=True))
            for message in messages:
                single = world.fresh(made)
                assert (
                    (message.pk in reviewable)
                    == REVIEW.allows(single, message)
                    == can(single, "messaging.review", message)
                )
                assert (message.pk in reviewable) == expected_reviewable(single, message)
            keeps = dict(WORD_LISTS.scope_with_role(user).values_list("pk", ROLE_ANNOTATION))
            for unit in world.units:
                single = world.fresh(made)
                role = WORD_LISTS.role_for(single, unit)
                assert (role or "") == keeps.get(unit.pk, "") == expected_word_list_role(single, unit)
                assert can(single, "wordlist.manage", unit) == (role is not None)
        transaction.set_rollback(True)
