"""Who may learn, enrol, follow a person's learning, see completion rates and edit course content."""

from typing import Any

from django.db.models import QuerySet

from onward.core.actors import UserKind, is_staff_user
from onward.core.approval import may_approve, may_publish
from onward.core.permissions import rule
from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.organisations.roles import CASEWORK_ROLES, has_role, staff_roles
from onward.organisations.selectors import units_under
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


@rule("learning.approve")
def can_approve_course(user: Any, course: Any) -> bool:
    """A second editor approves a course: never the one who last changed it (the rule the library follows)."""
    if not can_edit_content(user, None):
        return False
    return course is None or may_approve(course.changed_by_id, user.pk)


@rule("learning.publish")
def can_publish_course(user: Any, course: Any) -> bool:
    """Community-only courses go out on an editor's word; anything for custody only once approved."""
    if not can_edit_content(user, None):
        return False
    return course is None or may_publish(course.audience, course.approved_by_id)


def prisons_for_course_editor(user: Any) -> QuerySet[OrgUnit]:
    """The prisons an editor may offer a course in: those under the units where they hold an editor role."""
    paths = [held.unit.path for held in staff_roles(user) if held.role in EDITOR_ROLES]
    return units_under(paths, [UnitKind.PRISON]).order_by("name")
