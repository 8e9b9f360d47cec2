"""Who may enrol, review and answer check-ins. Lists use `checkins_visible_to`."""

from typing import Any

from django.db.models import QuerySet

from onward.checkins.models import CheckIn
from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import has_role, staff_roles
from onward.people.models import COMMUNITY_STATUSES
from onward.people.rules import people_visible_to, person_in_scope, person_of, staff_reaching

SUPERVISING_ROLES = (Role.PRACTITIONER, Role.SENIOR)
STATISTICS_ROLES = (Role.SENIOR,)


def checkins_visible_to(user: Any) -> QuerySet[CheckIn]:
    """Check-ins of the people this staff member supervises (caseload and team), or the person's own."""
    if not getattr(user, "is_authenticated", False):
        return CheckIn.objects.none()
    if user.kind == UserKind.PERSON:
        return CheckIn.objects.filter(person_id=user.person_id)
    if not (is_staff_user(user) and has_role(user, *SUPERVISING_ROLES)):
        return CheckIn.objects.none()
    return CheckIn.objects.filter(person__in=people_visible_to(user))


def _supervises(user: Any, obj: Any) -> bool:
    return staff_reaching(user, obj, SUPERVISING_ROLES)


@rule("checkin.enrol")
def can_enrol(user: Any, obj: Any) -> bool:
    """Enrol a person on licence or an order, change their schedule, stop or restart check-ins."""
    person = person_of(obj)
    if person is not None and person.status not in COMMUNITY_STATUSES:
        return False
    return _supervises(user, obj)


@rule("checkin.review")
def can_review(user: Any, obj: Any) -> bool:
    """See the review queue, a check-in and its media; record a decision; close a missed one."""
    return _supervises(user, obj)


@rule("checkin.statistics")
def can_see_statistics(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, *STATISTICS_ROLES)


@rule("checkin.respond")
def can_respond(user: Any, obj: Any) -> bool:
    """The person answers their own check-in, and only their own."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    person = person_of(obj)
    return person is None or person.pk == user.person_id


@rule("checkin.suitability_screen")
def can_screen(user: Any, obj: Any) -> bool:
    """See a person's suitability screens and record a new one: their practitioner or a senior in scope."""
    return _supervises(user, obj)


@rule("checkin.suitability_approve")
def can_approve_screen(user: Any, obj: Any) -> bool:
    """Approve a screen: a senior practitioner whose role is held at the person's unit or above it.

    Whether they made the screen themselves is the service's check (suitability_screen_approve)."""
    if not is_staff_user(user):
        return False
    person = person_of(obj)
    if person is None:
        return has_role(user, Role.SENIOR)
    unit_path = person.unit.path if person.unit_id else ""
    return any(
        held.role == Role.SENIOR and unit_path.startswith(held.unit.path) for held in staff_roles(user)
    ) and person_in_scope(user, person)
