"""Readiness: can we reach the database, the cache and file storage, and whatever the apps add?

Core checks what it owns itself. Apps add their own checks in their `health.py`, found at start-up,
so core never imports them (jobs adds "is a task worker alive?"):

    @readiness_check("worker")
    def worker_alive() -> str: ...

A check returns a short detail when all is well and raises when it is not: `NotReady` with words
for the operator, or any other error, which is reported by its type only.
"""

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

ReadinessCheck = Callable[[], str]
_CHECKS: dict[str, ReadinessCheck] = {}


class NotReady(Exception):
    """A check's own words for why the service is not ready (they are shown on /readyz)."""


def readiness_check(name: str) -> Callable[[ReadinessCheck], ReadinessCheck]:
    def register(check: ReadinessCheck) -> ReadinessCheck:
        if name in _CHECKS and _CHECKS[name] is not check:
            raise RuntimeError(f"Two readiness checks are called {name!r}.")
        _CHECKS[name] = check
        return check

    return register


def readiness_checks() -> dict[str, dict[str, Any]]:
    return {name: _timed(check) for name, check in _CHECKS.items()}


def _timed(check: ReadinessCheck) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except NotReady as error:
        detail, ok = str(error), False
    except Exception as error:  # a readiness probe reports every failure, whatever its kind
        detail, ok = f"{type(error).__name__}", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


@readiness_check("database")
def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


@readiness_check("cache")
def _cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return "ok"


@readiness_check("storage")
def _storage() -> str:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage did not return what was stored")
    finally:
        default_storage.delete(name)
    return "ok"
