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
        "worker": _timed(_worker),
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


def _worker() -> str:
    from onward.jobs.heartbeat import worker_heartbeat_age_seconds

    age = worker_heartbeat_age_seconds()
    from django.conf import settings

    if age is None:
        raise RuntimeError("no worker has reported")
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        raise RuntimeError(f"last worker heartbeat {int(age)} s ago")
    return f"last heartbeat {int(age)} s ago"
