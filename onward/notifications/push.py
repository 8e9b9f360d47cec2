"""Web push: whether it is set up, what a subscription must look like, and what a notification carries.

The sending itself is `PushChannel` in channels.py; the subscriptions are managed in services.py.
"""

import base64
import binascii
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from onward.notifications.models import OutboxMessage, PushSubscription

P256DH_BYTES = 65  # an uncompressed P-256 point: 0x04, then x and y
AUTH_SECRET_BYTES = 16
LOOPBACK_NAMES = frozenset({"localhost"})


def push_configured() -> bool:
    """True when the VAPID keys and subject are all set, so push can be offered and sent."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY and settings.VAPID_SUBJECT)


def push_reachable(user: Any) -> bool:
    """True when push is set up and this account has at least one live subscription."""
    if user is None or not push_configured():
        return False
    return PushSubscription.objects.filter(user=user, revoked_at__isnull=True).exists()


def push_subscription_problems(endpoint: str, p256dh: str, auth: str) -> list[str]:
    """What is wrong with a subscription a browser sent, in plain words (empty when it is fine)."""
    problems = []
    if not _endpoint_allowed(endpoint):
        problems.append(_("This browser's notification service is not one we can use."))
    point = _b64url(p256dh) or b""
    if len(point) != P256DH_BYTES or point[0] != 0x04:
        problems.append(_("The browser sent a key we cannot use. Try turning notifications on again."))
    if len(_b64url(auth) or b"") != AUTH_SECRET_BYTES:
        problems.append(_("The browser sent a secret we cannot use. Try turning notifications on again."))
    return problems


def push_payload(message: OutboxMessage) -> str:
    """The JSON the service worker shows: the outbox row's own (already safe) subject and body, and where to go.

    Never more than the outbox row holds: a secure message's text is not in it, so it cannot leak here.
    """
    body = message.body
    if len(body) > settings.PUSH_BODY_MAX_CHARS:
        body = body[: settings.PUSH_BODY_MAX_CHARS - 1] + "…"
    payload = {
        "title": message.subject or settings.ONWARD_SERVICE_NAME,
        "body": body,
        "url": reverse("core:home"),
        "tag": f"outbox-{message.pk}",
    }
    return json.dumps(payload, ensure_ascii=False)


def _endpoint_allowed(endpoint: str) -> bool:
    """An https address at a known push service; plain http only to this machine, for local testing."""
    try:
        parts = urlsplit(endpoint.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if not host or len(endpoint) > PushSubscription._meta.get_field("endpoint").max_length:  # type: ignore[operator]
        return False
    allowed = any(host == h.lower() or host.endswith("." + h.lower()) for h in settings.PUSH_SERVICE_HOSTS)
    if not allowed:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host))


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _b64url(value: str) -> bytes | None:
    text = value.strip()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
