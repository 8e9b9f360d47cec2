"""Workers report that they are alive; /readyz reads it (to be completed with the worker process)."""

from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "onward:worker-heartbeat"


def worker_heartbeat_record() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().timestamp(), None)


def worker_heartbeat_age_seconds() -> float | None:
    value = cache.get(HEARTBEAT_KEY)
    if value is None:
        return None
    return max(0.0, timezone.now().timestamp() - float(value))
