"""What the current request is, for the audit trail: its id, where it came from."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    user_agent: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("onward_request", default=None)


def current_request_context() -> RequestContext:
    """The context of the request being served, or a fresh one for jobs and commands."""
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext(request_id=f"job-{uuid.uuid4().hex[:16]}")
        _current.set(ctx)
    return ctx


def set_request_context(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset_request_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
