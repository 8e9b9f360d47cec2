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

from django.http import HttpRequest

from onward.api.auth import api_caller
from onward.core.permissions import require

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
