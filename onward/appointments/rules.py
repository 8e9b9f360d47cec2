"""Who may see and change which appointments: staff for people in their scope; a person their own."""

from typing import Any

from django.db.models import Q, QuerySet

from onward.appointments.models import Appointment, Slot, SlotState
from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.core.policy import Grant, Policy
from onward.organisations.models import Role
from onward.organisations.roles import CASEWORK_ROLES, has_role
from onward.people.models import Person, StaffAssignment
from onward.people.rules import people_visible_to, person_in_scope

# Security staff see appointments of people in their establishment but do not book them.
BOOKING_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)


def appointments_visible_to(user: Any) -> QuerySet[Appointment]:
    """Every appointment this user may see: their own, or those of the people in their scope."""
    if not user.is_authenticated:
        return Appointment.objects.none()
    if user.kind == UserKind.PERSON:
        return Appointment.objects.filter(person_id=user.person_id)
    if not is_staff_user(user) or not has_role(user, *CASEWORK_ROLES):
        return Appointment.objects.none()
    return Appointment.objects.filter(person__in=people_visible_to(user))


def _person_of(obj: Any) -> Any:
    return obj.person if isinstance(obj, Appointment) else obj


@rule("appointment.view")
def can_view_appointments(user: Any, obj: Any) -> bool:
    """Staff: the diary and the appointments of people in their scope. `obj` is an appointment or a person."""
    if not (is_staff_user(user) and has_role(user, *CASEWORK_ROLES)):
        return False
    return obj is None or person_in_scope(user, _person_of(obj))


@rule("appointment.manage")
def can_manage_appointments(user: Any, obj: Any) -> bool:
    """Book, rearrange, cancel and record attendance, for people in scope."""
    if not (is_staff_user(user) and has_role(user, *BOOKING_ROLES)):
        return False
    return obj is None or person_in_scope(user, _person_of(obj))


@rule("appointment.self")
def is_own_appointment(user: Any, obj: Any) -> bool:
    """A person, for their own appointments (confirm, ask to rearrange, their calendar)."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or _person_of(obj).pk == user.person_id


@rule("appointment.calendar")
def can_have_calendar(user: Any, obj: Any) -> bool:
    """A private calendar feed: a person's own, or a member of staff's diary."""
    if getattr(user, "kind", None) == UserKind.PERSON:
        person = getattr(user, "person", None)
        return person is not None and person.offers.phone_calendar  # in custody there is no phone to add it to
    return is_staff_user(user) and has_role(user, *CASEWORK_ROLES)


def supervises(user: Any, person: Person) -> bool:
    """True when this member of staff is one of the person's assigned workers (practitioner, POM, key worker)."""
    return StaffAssignment.objects.filter(staff_id=user.pk, person_id=person.pk, ended_at__isnull=True).exists()


class SlotPolicy(Policy[Slot]):
    """Who sees which bookable slots: staff the slots they opened; a person their assigned workers'
    slots, open to anyone on the caseload or kept for them."""

    model = Slot
    name = "appointment.slot"

    def grants(self, actor: Any) -> list[Grant]:
        if not getattr(actor, "is_authenticated", False):
            return []
        if actor.kind == UserKind.PERSON:
            workers = StaffAssignment.objects.filter(person_id=actor.person_id, ended_at__isnull=True).values(
                "staff_id"
            )
            for_me = Q(for_person__isnull=True) | Q(for_person_id=actor.person_id)
            return [Grant(Q(staff_id__in=workers) & for_me, "person")]
        if not is_staff_user(actor) or not has_role(actor, *BOOKING_ROLES):
            return []
        return [Grant(Q(staff_id=actor.pk), "owner")]


SLOTS = SlotPolicy()


def slots_visible_to(user: Any) -> QuerySet[Slot]:
    """Staff: the slots they opened. A person: the slots they may book (the policy's scope)."""
    return SLOTS.scope(user)


@rule("appointment.slots")
def can_open_slots(user: Any, obj: Any) -> bool:
    """Open, list and withdraw bookable slots. For one person, only the staff who supervise them; a slot, its owner."""
    if not (is_staff_user(user) and has_role(user, *BOOKING_ROLES)):
        return False
    if isinstance(obj, Slot):
        return SLOTS.allows(user, obj)
    if isinstance(obj, Person):
        return supervises(user, obj)
    return obj is None


@rule("appointment.self_book")
def can_book_slot(user: Any, obj: Any) -> bool:
    """A person books a slot one of their workers opened for anyone on the caseload or for them alone."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    if obj is None:
        return True
    return isinstance(obj, Slot) and obj.state == SlotState.OPEN and SLOTS.allows(user, obj)


@rule("notifications.provider_callback")
def provider_callback(user: Any, obj: Any) -> bool:
    """Provider callbacks are not users: the view checks the provider's bearer token instead."""
    return False
