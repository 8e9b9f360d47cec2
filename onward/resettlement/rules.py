"""Who may see and change a resettlement plan.

A person sees their own plan, ticks off their own actions and adds their own to-dos. Staff who reach
the person (the people policy) see it; caseworkers who own cases (key workers, prison offender
managers, practitioners, seniors) change it and see the person's documents. Security see the plan and
change nothing.
"""

from typing import Any

from django.db.models import Q

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import CASEWORK_ROLES, has_role, staff_roles
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


@rule("resettlement.documents")
def can_see_documents(user: Any, obj: Any) -> bool:
    """A person's documents (ID papers, bank and benefit letters): the caseworkers who own their plan, the
    same staff who may change it. Security see the plan, not the papers."""
    return can_manage_plan(user, obj)


# --- Requests ---------------------------------------------------------------------------------

# Prison staff who answer requests at the prison they work in (a wing's key worker answers for the prison).
REQUEST_ROLES = (Role.KEY_WORKER, Role.POM, Role.SENIOR)


def requests_scope(user: Any) -> Q:
    """Requests made at prisons where the user holds a request role (at the prison, a wing of it, or above)."""
    scope = Q(pk__in=[])
    if not is_staff_user(user):
        return scope
    for held in staff_roles(user):
        if held.role in REQUEST_ROLES:
            scope |= Q(prison__path__startswith=held.unit.path) | Q(prison_id__in=_path_ids(held.unit.path))
    return scope | Q(assigned_to_id=user.pk)


def request_in_scope(user: Any, request: Any) -> bool:
    if not is_staff_user(user):
        return False
    if request.assigned_to_id == user.pk:
        return True
    prison = request.prison
    return any(
        held.role in REQUEST_ROLES
        and (prison.path.startswith(held.unit.path) or prison.pk in _path_ids(held.unit.path))
        for held in staff_roles(user)
    )


@rule("requests.handle")
def can_handle_requests(user: Any, request: Any) -> bool:
    """Prison staff see, take on, answer and close the requests made at their prison."""
    if request is None:
        return is_staff_user(user) and has_role(user, *REQUEST_ROLES)
    return request_in_scope(user, request)


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]
