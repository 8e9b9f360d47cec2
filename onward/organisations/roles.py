"""Which roles a staff member holds, and where: the facts every app's permission rules start from."""

from typing import Any

from onward.core.actors import UserKind
from onward.organisations.models import Role, StaffRole

CASEWORK_ROLES = frozenset({Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY})


def staff_roles(user: Any) -> list[StaffRole]:
    """The user's roles with their units, loaded once per user object."""
    cached = getattr(user, "_onward_roles", None)
    if cached is None:
        if getattr(user, "kind", None) != UserKind.STAFF or not user.is_authenticated:
            cached = []
        else:
            # In the order they were given: the first role that reaches a person names the role acted in.
            cached = list(StaffRole.objects.filter(user=user).select_related("unit").order_by("pk"))
        user._onward_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return any(r.role in roles for r in staff_roles(user))
