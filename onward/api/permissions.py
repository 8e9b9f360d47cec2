"""API operations declare their action in the one permission policy, the same way views do.

    @router.get("/caseload", ...)
    @permission("caseload.view")
    def caseload(request): ...

The decorator goes under the route decorator, so the operation ninja registers carries
`onward_permission` for the architecture test to read, and the check runs before the operation.
Object checks (this person, this device) stay in selectors and services.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from onward.api.auth import api_caller
from onward.core.permissions import PUBLIC, declared_permission, require

F = TypeVar("F", bound=Callable[..., Any])


def permission(action: str) -> Callable[[F], F]:
    """Declare and enforce the action an API operation needs; refusal becomes a 403 answer."""

    def decorate(operation: F) -> F:
        @wraps(operation)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            require(api_caller(request), action)
            return operation(request, *args, **kwargs)

        checked.onward_permission = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def permission_checked_before_input(api: NinjaAPI) -> None:
    """Check each operation's declared action right after authentication, before its input is read.

    Ninja validates the path, query and body before it calls the operation, so without this a caller who
    may not use an operation would learn from a 422 what it expects. Call once, after every router is added.
    """
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                action = declared_permission(operation.view_func)
                if action and action != PUBLIC:
                    operation._run_checks = _checks_then_permission(operation, action)  # type: ignore[method-assign,assignment]


def _checks_then_permission(operation: Any, action: str) -> Callable[[HttpRequest], HttpResponse | None]:
    authenticate = operation._run_checks

    def run_checks(request: HttpRequest) -> HttpResponse | None:
        refused: HttpResponse | None = authenticate(request)
        if refused is not None:
            return refused
        try:
            require(api_caller(request), action)
        except PermissionDenied as error:
            answer: HttpResponse = operation.api.on_exception(request, error)
            return answer
        return None

    return run_checks
