"""The rules that depend on roles alone."""

from typing import Any

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import CASEWORK_ROLES, has_role


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
