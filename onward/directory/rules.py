"""Who may read and keep the services directory.

People (in custody, to plan release, and in the community) and all staff read published entries.
Content editors and administrators add, change, check, withdraw and republish entries, and also
see withdrawn ones. The directory is not about any one person, so there is no object scope.
"""

from typing import Any

from django.db.models import Q, QuerySet

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.core.policy import Grant, Policy
from onward.directory.models import Service, ServiceState
from onward.organisations.models import Role
from onward.organisations.roles import has_role

EDITOR_ROLES = (Role.CONTENT_EDITOR, Role.ADMINISTRATOR)


class DirectoryPolicy(Policy[Service]):
    """Published entries for everyone signed in (people, and staff past their second factor); every entry,
    withdrawn ones too, for editors."""

    model = Service
    name = "directory.service"

    def grants(self, actor: Any) -> list[Grant]:
        if not getattr(actor, "is_authenticated", False):
            return []
        if is_staff_user(actor) and has_role(actor, *EDITOR_ROLES):
            return [Grant(Q(pk__isnull=False), "editor")]  # every entry (a `When` refuses an empty Q)
        if actor.kind == UserKind.PERSON or is_staff_user(actor):
            return [Grant(Q(state=ServiceState.PUBLISHED), "reader")]
        return []


DIRECTORY = DirectoryPolicy()


def services_visible_to(user: Any) -> QuerySet[Service]:
    """The entries this user may see (the policy's scope)."""
    return DIRECTORY.scope(user)


@rule("directory.self")
def can_use_directory_as_person(user: Any, obj: Any) -> bool:
    """A person looking for services; with an object, only a published one."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or DIRECTORY.allows(user, obj)


@rule("directory.view")
def can_view_directory(user: Any, obj: Any) -> bool:
    """Staff look up services for the people they work with; withdrawn entries only for editors."""
    if not is_staff_user(user):
        return False
    return obj is None or DIRECTORY.allows(user, obj)


@rule("directory.edit")
def can_edit_directory(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and has_role(user, *EDITOR_ROLES)
