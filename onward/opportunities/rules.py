"""Who may see and decide on early release.

Caseworkers who reach the person see their assessment and the prison's list (security staff do not
decide release and do not see it). Those who issue licences (prison offender managers, practitioners,
seniors) record the sentence, decide, move an HDC case on and grant temporary release: the same
people who set a curfew with its licence. A person sees their own dates and offers an address.
"""

from typing import Any

from onward.core.actors import UserKind
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.people.rules import person_of, staff_reaching

VIEW_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)
DECIDE_ROLES = (Role.POM, Role.PRACTITIONER, Role.SENIOR)


@rule("opportunities.view")
def can_view(user: Any, obj: Any) -> bool:
    """See who could go out early and why, a prison's list and one person's criteria."""
    return staff_reaching(user, obj, VIEW_ROLES)


@rule("opportunities.decide")
def can_decide(user: Any, obj: Any) -> bool:
    """Record the sentence, decide, move an HDC case on, grant temporary release and record absences."""
    return staff_reaching(user, obj, DECIDE_ROLES)


@rule("opportunities.self")
def is_own(user: Any, obj: Any) -> bool:
    """A person sees their own dates and offers an address for HDC."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    person = person_of(obj)
    return person is None or person.pk == user.person_id
