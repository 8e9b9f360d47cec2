"""Core's own writes go on the audit trail without core importing the audit app.

Core is the lowest layer, yet two things in it write: the admin pages (`admin_mixins.py`) and the
daily retention job (`retention.py`). The audit app registers its writer when it starts
(`onward/audit/apps.py`), and core calls it through `audit_write`. With no writer registered, a
write fails loudly rather than going unaudited.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

AuditWriter = Callable[..., Any]
_WRITERS: list[AuditWriter] = []


def audit_writer_register(writer: AuditWriter) -> None:
    """Called once by the audit app at start-up. The same writer again is harmless; another is an error."""
    if _WRITERS and _WRITERS[0] is not writer:
        raise ImproperlyConfigured("Two audit writers were registered.")
    _WRITERS[:] = [writer]


def audit_write(
    *,
    actor: Any,
    action: str,
    person: Any | None = None,
    target: Any | None = None,
    role: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Any:
    """Append one event to the audit trail, in the caller's transaction (see onward.audit.services.audit_record)."""
    if not _WRITERS:
        raise ImproperlyConfigured("No audit writer is registered: is onward.audit in INSTALLED_APPS?")
    return _WRITERS[0](actor=actor, action=action, person=person, target=target, role=role, reason=reason, data=data)
