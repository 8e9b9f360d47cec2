"""The slot and directory policies: lists and single checks agree, over generated worlds.

The worlds are the people policy's (onward/people/tests/test_policy.py), with bookable slots opened by
its staff (for anyone or kept for one person, in every state) and directory entries published or
withdrawn. For every (user, slot) and (user, entry) pair: in the scope exactly when allowed, the
registered rules agree, and both match a plain statement of the rule written here.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.accounts.models import User
from onward.appointments.models import AppointmentKind, Slot, SlotState
from onward.appointments.rules import BOOKING_ROLES, SLOTS
from onward.core.actors import UserKind
from onward.core.permissions import can
from onward.directory.models import ServiceState
from onward.directory.rules import DIRECTORY, EDITOR_ROLES
from onward.directory.tests.factories import ServiceFactory
from onward.organisations.models import Role, StaffRole
from onward.people.models import StaffAssignment
from onward.people.tests.test_policy import WorldPlan, world_build, world_plans

pytestmark = pytest.mark.django_db


def slots_build(world: Any, data: st.DataObject) -> list[Slot]:
    staff = [user for user in world.users if isinstance(user, User) and user.kind == UserKind.STAFF]
    if not staff:
        return []
    start = timezone.now() + dt.timedelta(days=3)
    slots = []
    for i in range(data.draw(st.integers(0, 5))):
        state = data.draw(st.sampled_from(list(SlotState)))
        kept_for = data.draw(st.none() | st.sampled_from(world.people))
        slots.append(
            Slot.objects.create(
                staff=data.draw(st.sampled_from(staff)),
                kind=AppointmentKind.SUPERVISION,
                for_person=kept_for,
                address="Synthetic office",
                starts_at=start + dt.timedelta(hours=i),
                ends_at=start + dt.timedelta(hours=i, minutes=30),
                state=state,
                booked_by=world.people[0] if state == SlotState.BOOKED else None,
            )
        )
    return slots


def verified_staff_roles(user: Any) -> set[str]:
    if getattr(user, "kind", None) != UserKind.STAFF or not user.is_verified():
        return set()
    return set(StaffRole.objects.filter(user=user).values_list("role", flat=True))


def expected_slot_visible(user: Any, slot: Slot) -> bool:
    """The rule in plain Python: a person sees their workers' slots for anyone or for them; staff their own."""
    if not user.is_authenticated:
        return False
    if user.kind == UserKind.PERSON:
        works_with = StaffAssignment.objects.filter(
            person_id=user.person_id, staff_id=slot.staff_id, ended_at__isnull=True
        ).exists()
        return works_with and slot.for_person_id in (None, user.person_id)
    return bool(verified_staff_roles(user) & set(BOOKING_ROLES)) and slot.staff_id == user.pk


def expected_entry_visible(user: Any, state: str) -> bool:
    if not user.is_authenticated:
        return False
    if verified_staff_roles(user) & set(EDITOR_ROLES):
        return True
    staff = getattr(user, "kind", None) == UserKind.STAFF and user.is_verified()
    return (user.kind == UserKind.PERSON or staff) and state == ServiceState.PUBLISHED


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=world_plans(), data=st.data())
def test_slot_and_directory_lists_agree_with_single_checks(plan: WorldPlan, data: st.DataObject) -> None:
    with transaction.atomic():
        world = world_build(plan)
        slots = slots_build(world, data)
        entries = [
            ServiceFactory(state=ServiceState.PUBLISHED),
            ServiceFactory(state=ServiceState.WITHDRAWN, withdrawn_reason="Closed (synthetic)"),
        ]
        for made in world.users:
            user = world.fresh(made)
            listed = set(SLOTS.scope(user).values_list("pk", flat=True))
            for slot in slots:
                single = world.fresh(made)
                visible = slot.pk in listed
                assert visible == SLOTS.allows(single, slot) == expected_slot_visible(single, slot)
                person = getattr(single, "kind", None) == UserKind.PERSON
                assert can(single, "appointment.self_book", slot) == (
                    person and visible and slot.state == SlotState.OPEN
                )
                assert can(single, "appointment.slots", slot) == (not person and visible)
            readable = set(DIRECTORY.scope(user).values_list("pk", flat=True))
            for entry in entries:
                single = world.fresh(made)
                visible = entry.pk in readable
                assert visible == DIRECTORY.allows(single, entry) == expected_entry_visible(single, entry.state)
                kind = getattr(single, "kind", None)
                assert can(single, "directory.self", entry) == (kind == UserKind.PERSON and visible)
                assert can(single, "directory.view", entry) == (kind == UserKind.STAFF and visible)
        transaction.set_rollback(True)


def test_an_editor_reaches_withdrawn_entries_and_a_reader_does_not(org: dict[str, Any], make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    reader = make_staff(Role.PRACTITIONER, org["office_n"])
    gone = ServiceFactory(state=ServiceState.WITHDRAWN, withdrawn_reason="Closed (synthetic)")
    assert DIRECTORY.role_for(editor, gone) == "editor"
    assert DIRECTORY.role_for(reader, gone) is None
