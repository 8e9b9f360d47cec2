"""Who may learn, enrol, follow a person's learning, see completion rates and edit course content."""

from typing import Any

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import Role
from onward.organisations.roles import CASEWORK_ROLES, has_role
from onward.people.rules import person_in_scope

# Staff who may put a person on a course (security follow learning but do not enrol).
ENROLLING_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)
# Staff who see completion rates for the units they work at (numbers only, no names).
STATISTICS_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.CONTENT_EDITOR, Role.ADMINISTRATOR)
EDITOR_ROLES = (Role.CONTENT_EDITOR, Role.ADMINISTRATOR)


def _person_of(obj: Any) -> Any:
    return getattr(obj, "person", obj)


@rule("learning.self")
def is_own_learning(user: Any, obj: Any) -> bool:
    """A person, for their own courses, progress, certificates and self-assessments."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or getattr(_person_of(obj), "pk", None) == user.person_id


@rule("learning.view")
def can_view_learning(user: Any, obj: Any) -> bool:
    """Staff: a person's courses, progress and self-assessment scores, for people in their scope."""
    if not (is_staff_user(user) and has_role(user, *CASEWORK_ROLES)):
        return False
    return obj is None or person_in_scope(user, _person_of(obj))


@rule("learning.enrol")
def can_enrol(user: Any, obj: Any) -> bool:
    """Staff put a person in their scope on a course."""
    if not (is_staff_user(user) and has_role(user, *ENROLLING_ROLES)):
        return False
    return obj is None or person_in_scope(user, _person_of(obj))


@rule("learning.statistics")
def can_see_completion_rates(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, *STATISTICS_ROLES)


@rule("learning.edit")
def can_edit_content(user: Any, obj: Any) -> bool:
    """Write courses, lessons, quizzes and self-assessment sets (on the content editing site)."""
    return is_staff_user(user) and has_role(user, *EDITOR_ROLES)
