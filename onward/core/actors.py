"""The system as an actor: what jobs, scheduled work and commands act as when no one is signed in.

A job never borrows a member of staff, and never acts as "nobody" (None): it passes a SystemActor
named for itself, so the audit trail says which job did what. The permission policy refuses the
system everything (`onward.core.permissions.can`): work that needs no person's permission is done
by services that check none, and the system can never pass for a signed-in user.

The typed union of every actor, `Actor = StaffUser | PersonUser | SystemActor`, is in
`onward/accounts/actors.py`, beside the user model it names.
"""

from dataclasses import dataclass
from typing import ClassVar


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
