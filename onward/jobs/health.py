"""The jobs app's part of /readyz: a task worker reported within WORKER_HEARTBEAT_STALE_SECONDS."""

from django.conf import settings

from onward.core.health import NotReady, readiness_check
from onward.jobs.heartbeat import worker_heartbeat_age_seconds


@readiness_check("worker")
def worker_alive() -> str:
    """Says why not in plain words."""
    limit = settings.WORKER_HEARTBEAT_STALE_SECONDS
    age = worker_heartbeat_age_seconds()
    if age is None:
        raise NotReady("no task worker has reported a heartbeat")
    if age > limit:
        raise NotReady(f"last task worker heartbeat {int(age)} s ago (limit {limit} s)")
    return f"last heartbeat {int(age)} s ago"
