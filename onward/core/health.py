"""Readiness: can we reach the database, the cache, file storage, and is a worker alive?"""

import time
import uuid
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection


def readiness_checks() -> dict[str, dict[str, Any]]:
    return {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "storage": _timed(_storage),
        "worker": _worker(),
    }


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as error:  # a readiness probe reports every failure, whatever its kind
        detail, ok = f"{type(error).__name__}", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage did not return what was stored")
    finally:
        default_storage.delete(name)
    return "ok"


def _worker() -> dict[str, Any]:
    """A task worker reported within WORKER_HEARTBEAT_STALE_SECONDS. Says why not in plain words."""
    from django.conf import settings

    from onward.jobs.heartbeat import worker_heartbeat_age_seconds

    started = time.perf_counter()
    limit = settings.WORKER_HEARTBEAT_STALE_SECONDS
    try:
        age = worker_heartbeat_age_seconds()
    except Exception as error:  # a readiness probe reports every failure, whatever its kind
        ok, detail = False, f"{type(error).__name__}"
    else:
        if age is None:
            ok, detail = False, "no task worker has reported a heartbeat"
        elif age > limit:
            ok, detail = False, f"last task worker heartbeat {int(age)} s ago (limit {limit} s)"
        else:
            ok, detail = True, f"last heartbeat {int(age)} s ago"
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}
