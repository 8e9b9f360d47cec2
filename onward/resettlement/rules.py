"""Who may see and change a resettlement plan.

A person sees their own plan, ticks off their own actions and adds their own to-dos. Staff who reach
the person (the people policy) see it; caseworkers who own cases (key workers, prison offender
managers, practitioners, seniors) change it. Security see it and change nothing.
"""

from typing import Any

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import CASEWORK_ROLES, has_role
from onward.people.rules import acting_role, person_in_scope

PLAN_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)


def person_of(obj: Any) -> Any:
    return getattr(obj, "person", obj)


@rule("resettlement.self")
def is_own_plan(user: Any, obj: Any) -> bool:
    """A person, for their own plan, requests and documents."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or getattr(person_of(obj), "pk", None) == user.person_id


@rule("resettlement.view")
def can_view_plan(user: Any, obj: Any) -> bool:
    if not (is_staff_user(user) and has_role(user, *CASEWORK_ROLES)):
        return False
    return obj is None or person_in_scope(user, person_of(obj))


@rule("resettlement.manage")
def can_manage_plan(user: Any, obj: Any) -> bool:
    """Record an assessment, change a need, add or tick off actions: caseworkers who reach the person."""
    if not (is_staff_user(user) and has_role(user, *PLAN_ROLES)):
        return False
    return obj is None or acting_role(user, person_of(obj)) in PLAN_ROLES
