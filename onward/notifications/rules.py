"""Who may manage which push subscriptions: a person, only their own."""

from typing import Any

from onward.core.actors import UserKind
from onward.core.permissions import rule


@rule("notifications.push")
def can_manage_own_push(user: Any, obj: Any) -> bool:
    """A person turns notifications on or off for their own phones; nobody manages another's."""
    if getattr(user, "kind", None) != UserKind.PERSON:
        return False
    return obj is None or getattr(obj, "user_id", None) == user.pk
