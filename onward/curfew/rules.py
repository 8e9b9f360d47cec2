"""Who may set curfews and zones, approve a night's variation, and see a person's fixes on the map."""

from typing import Any

from onward.core.actors import UserKind
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.people.rules import person_of, staff_reaching

# Those who issue licences set the curfew and zones with them (a new licence version).
TERMS_ROLES = (Role.POM, Role.PRACTITIONER, Role.SENIOR)
# Those who supervise in the community approve variations and weigh location evidence.
SUPERVISING_ROLES = (Role.PRACTITIONER, Role.SENIOR)


@rule("curfew.set_terms")
def can_set_terms(user: Any, obj: Any) -> bool:
    """Set curfew windows and draw zones, which issues a new licence version."""
    return staff_reaching(user, obj, TERMS_ROLES)


@rule("curfew.vary")
def can_vary(user: Any, obj: Any) -> bool:
    """Approve or withdraw a change to one night's curfew."""
    return staff_reaching(user, obj, SUPERVISING_ROLES)


@rule("location.view")
def can_view_location(user: Any, obj: Any) -> bool:
    """See a person's fixes, zones and curfew on the map, and download an alert's evidence pack."""
    return staff_reaching(user, obj, SUPERVISING_ROLES)


@rule("location.send")
def can_send_fixes(user: Any, obj: Any) -> bool:
    """A person's own phone or tag feed sends fixes for them, and only for them."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    person = person_of(obj)
    return person is None or person.pk == user.person_id


@rule("curfew.view_own")
def can_view_own(user: Any, obj: Any) -> bool:
    """A person reads their own curfew and zones in plain words."""
    return can_send_fixes(user, obj)
