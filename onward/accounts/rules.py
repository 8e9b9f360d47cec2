"""Who holds which roles, and the rules that depend on roles alone."""

from typing import Any

from onward.accounts.models import Role, StaffRole, UserKind
from onward.core.permissions import rule

CASEWORK_ROLES = frozenset({Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY})


def staff_roles(user: Any) -> list[StaffRole]:
    """The user's roles with their units, loaded once per user object."""
    cached = getattr(user, "_onward_roles", None)
    if cached is None:
        if getattr(user, "kind", None) != UserKind.STAFF or not user.is_authenticated:
            cached = []
        else:
            cached = list(StaffRole.objects.filter(user=user).select_related("unit"))
        user._onward_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return any(r.role in roles for r in staff_roles(user))


def is_staff_user(user: Any) -> bool:
    return getattr(user, "kind", None) == UserKind.STAFF and staff_verified(user)


def staff_verified(user: Any) -> bool:
    """Staff act only after their second factor. It fails closed: a user object without django-otp's flag
    (one loaded outside a request) is refused. Jobs act as a SystemActor; see onward/accounts/actors.py."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


@rule("caseload.view")
def can_view_caseload(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, *CASEWORK_ROLES)


@rule("audit.search")
def can_search_audit(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, Role.SECURITY, Role.ADMINISTRATOR)


@rule("admin.site")
def can_use_admin_site(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, Role.ADMINISTRATOR)


@rule("staff.home")
def can_open_staff_home(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@rule("person.self")
def is_the_person(user: Any, obj: Any) -> bool:
    """A person signed in to their own account; with an object, only their own record."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or getattr(obj, "pk", None) == user.person_id


@rule("account.signed_in")
def is_signed_in(user: Any, obj: Any) -> bool:
    """Anyone signed in, for pages about their own session (sign out, language)."""
    return True
