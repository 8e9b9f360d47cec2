"""Who acts: the kinds of user, whether a staff user has passed their second factor, and the system.

The lowest layer knows only what a user object says about itself (its kind and its verified flag), so
every app's rules can ask "is this a signed-in member of staff?" without importing the accounts app.

A job never borrows a member of staff, and never acts as "nobody" (None): it passes a SystemActor
named for itself, so the audit trail says which job did what. The permission policy refuses the
system everything (`onward.core.permissions.can`): work that needs no person's permission is done
by services that check none, and the system can never pass for a signed-in user.

The typed union of every actor, `Actor = StaffUser | PersonUser | SystemActor`, is in
`onward/accounts/actors.py`, beside the user model it names.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    PERSON = "person", _("Person under supervision")


def is_staff_user(user: Any) -> bool:
    return getattr(user, "kind", None) == UserKind.STAFF and staff_verified(user)


def is_person_user(user: Any) -> bool:
    return getattr(user, "kind", None) == UserKind.PERSON


def staff_verified(user: Any) -> bool:
    """Staff act only after their second factor. It fails closed: a user object without django-otp's flag
    (one loaded outside a request) is refused. Jobs act as a SystemActor; see onward/accounts/actors.py."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


@dataclass(frozen=True)
class SystemActor:
    """The system, acting for the job or command called `name` (for example "retention_run")."""

    name: str

    # What code that looks at a user asks of an actor: the system is never a signed-in user.
    kind: ClassVar[str] = "system"
    is_authenticated: ClassVar[bool] = False
    is_active: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A system actor needs the name of the job or command it acts for.")

    def __str__(self) -> str:
        return f"system ({self.name})"
