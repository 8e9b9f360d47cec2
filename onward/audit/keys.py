"""The keys that seal the audit chain, read from AUDIT_KEYS ("id:secret" entries, newest first).

They live in the environment, never in the database: someone who can rewrite audit rows cannot compute
the hashes that would make the rewrite verify. docs/audit.md says how to rotate them.
"""

import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_MAX_CHARS = 40
SECRET_MIN_CHARS = 32


@dataclass(frozen=True)
class AuditKeys:
    current_id: str
    secrets: dict[str, bytes]


def audit_keys() -> AuditKeys:
    """The configured keys: the first seals new events and checkpoints, every one of them verifies."""
    return _parsed(tuple(settings.AUDIT_KEYS))


def audit_mac(key_id: str, payload: bytes) -> str:
    """HMAC-SHA256 of `payload` under the key `key_id` (KeyError when that key is not configured)."""
    return hmac.digest(audit_keys().secrets[key_id], payload, "sha256").hex()  # OpenSSL's one-shot HMAC: fastest


@lru_cache(maxsize=4)
def _parsed(entries: tuple[str, ...]) -> AuditKeys:
    secrets: dict[str, bytes] = {}
    for entry in entries:
        key_id, separator, secret = entry.partition(":")
        key_id = key_id.strip()
        if not separator or not key_id or len(key_id) > KEY_ID_MAX_CHARS:
            raise ImproperlyConfigured("Each AUDIT_KEYS entry must be 'id:secret' with a short id before the colon.")
        if len(secret) < SECRET_MIN_CHARS:
            raise ImproperlyConfigured(
                f"The AUDIT_KEYS secret {key_id!r} is shorter than {SECRET_MIN_CHARS} characters."
            )
        if key_id in secrets:
            raise ImproperlyConfigured(f"AUDIT_KEYS names the key {key_id!r} twice.")
        secrets[key_id] = secret.encode()
    if not secrets:
        raise ImproperlyConfigured("AUDIT_KEYS is empty: set at least one 'id:secret' key.")
    return AuditKeys(current_id=next(iter(secrets)), secrets=secrets)
