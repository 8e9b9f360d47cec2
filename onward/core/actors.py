"""Who acts: the kinds of user, and whether a staff user has passed their second factor.

The lowest layer knows only what a user object says about itself (its kind and its verified flag), so
every app's rules can ask "is this a signed-in member of staff?" without importing the accounts app.
"""

from typing import Any

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
    """Staff act only after their second factor. Users built outside a request (jobs) carry no flag."""
    check = getattr(user, "is_verified", None)
    return check() if callable(check) else True
