"""Counters for limits (sign-in tries, codes sent), kept in the shared cache so every process sees them.

The cache is the database cache by default and Redis on the scale-out path; `add` and `incr` are
shared by every worker on either. Counts are kept in fixed windows named by the clock
(`django.utils.timezone.now`), so a test moves the clock instead of waiting. Keys are digests: a phone
number or address typed at a sign-in page is never written to the cache as it was typed.
"""

import hashlib
import ipaddress
from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone


def _key(scope: str, subject: str, window_seconds: int, now: datetime) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{int(now.timestamp()) // window_seconds}"


def window_hit(scope: str, subject: str, window_seconds: int) -> int:
    """Count one more in this subject's current window; returns the count including this one."""
    now = timezone.now()
    key = _key(scope, subject, window_seconds, now)
    # Kept twice as long as the window, so an entry never vanishes while its window is current.
    cache.add(key, 0, window_seconds * 2)
    try:
        return int(cache.incr(key))
    except ValueError:  # the entry was evicted between add and incr
        cache.set(key, 1, window_seconds * 2)
        return 1


def window_count(scope: str, subject: str, window_seconds: int) -> int:
    """How many were counted in this subject's current window (counting nothing)."""
    return int(cache.get(_key(scope, subject, window_seconds, timezone.now())) or 0)


def window_clear(scope: str, subject: str, window_seconds: int) -> None:
    cache.delete(_key(scope, subject, window_seconds, timezone.now()))


def window_seconds_left(window_seconds: int) -> int:
    """Seconds until the current window ends (at least 1)."""
    now = int(timezone.now().timestamp())
    return max(1, window_seconds - now % window_seconds)


def _cool_down_key(scope: str, subject: str) -> str:
    return f"throttle:{scope}:cool:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"


def cool_down_remaining(scope: str, subject: str, seconds: int) -> int:
    """Seconds the subject must still wait after its last cool-down started (0: free), starting nothing."""
    started = cache.get(_cool_down_key(scope, subject))
    if started is None or seconds <= 0:
        return 0
    elapsed = timezone.now().timestamp() - float(started)
    return 0 if elapsed >= seconds else max(1, int(seconds - elapsed + 0.999))


def cool_down_start(scope: str, subject: str, seconds: int) -> int:
    """0 if the subject was free and its cool-down starts now; else the seconds it must still wait."""
    if seconds <= 0:
        return 0
    now = timezone.now().timestamp()
    key = _cool_down_key(scope, subject)
    if cache.add(key, now, seconds):
        return 0
    started = float(cache.get(key) or 0)
    if now - started >= seconds:  # the cache keeps it a little longer than the clock says
        cache.set(key, now, seconds)
        return 0
    return max(1, int(seconds - (now - started) + 0.999))


def address_in_networks(address: str | None, networks: Iterable[str]) -> bool:
    """Whether an IP address is inside one of the networks (e.g. "10.20.0.0/16"); False for no address."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False
