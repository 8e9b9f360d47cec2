"""Who may set curfews and zones, approve a night's variation, and see a person's fixes on the map."""

from typing import Any

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import has_role
from onward.people.models import Person
from onward.people.rules import person_in_scope

# Those who issue licences set the curfew and zones with them (a new licence version).
TERMS_ROLES = (Role.POM, Role.PRACTITIONER, Role.SENIOR)
# Those who supervise in the community approve variations and weigh location evidence.
SUPERVISING_ROLES = (Role.PRACTITIONER, Role.SENIOR)


def _person_of(obj: Any) -> Person | None:
    if obj is None or isinstance(obj, Person):
        return obj
    return getattr(obj, "person", None)


def _staff_with(user: Any, obj: Any, roles: tuple[str, ...]) -> bool:
    if not (is_staff_user(user) and has_role(user, *roles)):
        return False
    person = _person_of(obj)
    return person is None or person_in_scope(user, person)


@rule("curfew.set_terms")
def can_set_terms(user: Any, obj: Any) -> bool:
    """Set curfew windows and draw zones, which issues a new licence version."""
    return _staff_with(user, obj, TERMS_ROLES)


@rule("curfew.vary")
def can_vary(user: Any, obj: Any) -> bool:
    """Approve or withdraw a change to one night's curfew."""
    return _staff_with(user, obj, SUPERVISING_ROLES)


@rule("location.view")
def can_view_location(user: Any, obj: Any) -> bool:
    """See a person's fixes, zones and curfew on the map, and download an alert's evidence pack."""
    return _staff_with(user, obj, SUPERVISING_ROLES)


@rule("location.send")
def can_send_fixes(user: Any, obj: Any) -> bool:
    """A person's own phone or tag feed sends fixes for them, and only for them."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    person = _person_of(obj)
    return person is None or person.pk == user.person_id


@rule("curfew.view_own")
def can_view_own(user: Any, obj: Any) -> bool:
    """A person reads their own curfew and zones in plain words."""
    return can_send_fixes(user, obj)
