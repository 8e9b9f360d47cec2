"""Who can act in a service: a member of staff, a person under supervision, or the system.

    Actor = StaffUser | PersonUser | SystemActor

`StaffUser` and `PersonUser` are type aliases of the one `User` model, not proxy classes or
`NewType`s. Authentication (Django's sessions, django-otp, our device tokens) hands back plain
`User` objects, so a proxy class would mean rewriting how users are loaded, and a `NewType` would
mean a cast at every view and API route before it could call a service. With aliases, mypy checks
what matters most at a call site, that the actor is a user or the system and never None or a
stray value; the names say which kind a service expects; and the policy (`can`/`require`, with
`user.kind`) decides at run time, as it always has. `SystemActor` is a real class (in
`onward/core/actors.py`, so the audit trail and the policy below this app can know it).

Staff act only after their second factor: the policy refuses a staff user object that does not
carry django-otp's verified flag (`staff_verified` in `rules.py`). Code that acts for staff outside
a web request, such as the demo data, marks the user as verified by one of their confirmed
authenticator devices with `staff_verified_by`, as the sign-in does for a request.
"""

from typing import TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.accounts.models import User
from onward.core.actors import SystemActor, UserKind

StaffUser: TypeAlias = User
PersonUser: TypeAlias = User
Actor: TypeAlias = StaffUser | PersonUser | SystemActor

__all__ = ["Actor", "PersonUser", "StaffUser", "SystemActor", "signed_in_user", "staff_verified_by"]


def signed_in_user(request: HttpRequest) -> StaffUser | PersonUser:
    """The user of a request that passed its `@permission` check, typed for the services it calls."""
    user = request.user
    if not isinstance(user, User):  # only an anonymous visitor, whom `@permission` has already turned away
        raise PermissionDenied
    return user


def staff_verified_by(user: User, device: TOTPDevice) -> StaffUser:
    """Mark this user object as past its second factor with `device`, as django-otp does for a request."""
    if user.kind != UserKind.STAFF:
        raise ValueError("Only staff have a second factor.")
    if device.user_id != user.pk or not device.confirmed:
        raise ValueError("The device must be one of this user's confirmed authenticators.")
    user.otp_device = device  # type: ignore[attr-defined]
    user.is_verified = lambda: user.otp_device is not None  # type: ignore[attr-defined]
    return user
