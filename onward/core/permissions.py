"""The one permission policy: "may this user do this action (to this object)?".

Each app registers its rules in its `rules.py` with `@rule("app.action")`. Views and API routes
declare the action they need with `@permission(...)` (or `@public` for pages anyone may open);
services call `require()` themselves, so a new view cannot forget the check; selectors use the
same scoping functions for lists. A test walks every URL and fails on any undeclared view.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from onward.core.actors import SystemActor

Rule = Callable[[Any, Any], bool]
F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise RuntimeError(f"Rule {action!r} is registered twice.")
        _RULES[action] = fn
        return fn

    return register


def registered_actions() -> set[str]:
    return set(_RULES)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """True when the policy allows it. Unknown actions are refused loudly in tests, quietly in production.

    The system (a SystemActor, for jobs) is refused every action: it is never a signed-in user.
    """
    if action == PUBLIC:
        return True
    check = _RULES.get(action)
    if check is None:
        raise KeyError(f"No permission rule for {action!r}")
    if user is None or isinstance(user, SystemActor) or not user.is_authenticated or not user.is_active:
        return False
    return bool(check(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


def declared_permission(view: Callable[..., Any]) -> str | None:
    """The action a view declared, if any (follows Django's class-based view wrappers)."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        action = getattr(candidate, "onward_permission", None)
        if action:
            return str(action)
    return None


def permission(action: str) -> Callable[[F], F]:
    """Declare and enforce the action a view needs. Object checks happen in selectors and services."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path(), _sign_in_url_for(request))
            require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.onward_permission = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Declare that anyone may open this view (sign-in pages, health checks)."""
    view.onward_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def _sign_in_url_for(request: HttpRequest) -> str:
    from django.urls import reverse

    if request.path.startswith("/me"):
        return reverse("accounts:person_sign_in")
    return reverse("accounts:staff_sign_in")
