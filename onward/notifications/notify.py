"""GOV.UK Notify: SMS and email channels, delivery-status callbacks and inbound text replies.

Set SMS_CHANNEL=onward.notifications.notify.NotifySmsChannel (and EMAIL_CHANNEL=…NotifyEmailChannel),
NOTIFY_API_KEY, and the template ids. Each template has the placeholders ((subject)) (email only)
and ((body)): the outbox row's text is the personalisation, so our wording stays in our code and
translations. Notify calls back with a bearer token we choose (NOTIFY_CALLBACK_BEARER_TOKEN); a
callback without it is refused. The embedded default stays the log channel.
"""

import hmac
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onward.notifications.channels import ChannelError
from onward.notifications.models import InboundSms, OutboxMessage
from onward.people.models import COMMUNITY_STATUSES, Person

logger = logging.getLogger(__name__)

CALLBACK_PERMISSION = "notifications.provider_callback"
CONFIRM_WORDS = frozenset({"yes", "y", "confirm", "ok", "ie", "iawn"})
REARRANGE_WORDS = frozenset({"r", "rearrange", "change", "no", "na"})


class NotifySmsChannel:
    """Texts through GOV.UK Notify. Returns Notify's notification id as the provider reference."""

    def send(self, message: OutboxMessage) -> str:
        response = _client().send_sms_notification(
            phone_number=message.recipient,
            template_id=_setting("NOTIFY_SMS_TEMPLATE_ID"),
            personalisation={"body": message.body},
            reference=f"outbox-{message.pk}",
        )
        return str(response["id"])


class NotifyEmailChannel:
    """Emails through GOV.UK Notify, with the subject and body as personalisation."""

    def send(self, message: OutboxMessage) -> str:
        response = _client().send_email_notification(
            email_address=message.recipient,
            template_id=_setting("NOTIFY_EMAIL_TEMPLATE_ID"),
            personalisation={"subject": message.subject, "body": message.body},
            reference=f"outbox-{message.pk}",
        )
        return str(response["id"])


def notify_callback(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A Notify callback view: POST only, JSON, and the bearer token from the environment or 401."""

    @csrf_exempt
    @require_POST
    def checked(request: HttpRequest) -> HttpResponse:
        expected = str(settings.NOTIFY_CALLBACK_BEARER_TOKEN)
        scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
        if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), expected):
            return JsonResponse({"detail": "Not authorised."}, status=401)
        return view(request)

    checked.onward_permission = CALLBACK_PERMISSION  # type: ignore[attr-defined]
    checked.__name__ = view.__name__
    checked.__doc__ = view.__doc__
    return checked


@notify_callback
def delivery_status_callback(request: HttpRequest) -> HttpResponse:
    """Notify says what happened to a message: recorded on its outbox row (found by our reference or its id)."""
    payload = _json(request)
    if payload is None:
        return JsonResponse({"detail": "Send JSON."}, status=400)
    status = str(payload.get("status", ""))[:40]
    reference = str(payload.get("reference") or "")
    notify_id = str(payload.get("id") or "")
    at = _moment(payload.get("completed_at") or payload.get("sent_at")) or timezone.now()
    rows = OutboxMessage.objects.none()
    if reference.startswith("outbox-") and reference[7:].isdigit():
        rows = OutboxMessage.objects.filter(pk=int(reference[7:]))
    elif notify_id:
        rows = OutboxMessage.objects.filter(provider_reference=notify_id)
    updated = rows.update(delivery_status=status, delivery_status_at=at)
    if not updated:
        logger.warning("Notify delivery callback for an unknown message (status %s)", status)
        return JsonResponse({"detail": "Unknown message."}, status=404)
    return JsonResponse({"recorded": updated})


@notify_callback
def inbound_sms_callback(request: HttpRequest) -> HttpResponse:
    """A text from a person: kept, matched to them by phone number, and acted on if it confirms or asks to rearrange."""
    payload = _json(request)
    if payload is None or not payload.get("id") or not payload.get("source_number"):
        return JsonResponse({"detail": "Send Notify's inbound message JSON."}, status=400)
    inbound = inbound_sms_record(
        provider_id=str(payload["id"]),
        source_number=str(payload["source_number"]),
        body=str(payload.get("message", "")),
        received_at=_moment(payload.get("date_received")) or timezone.now(),
    )
    return JsonResponse({"matched": inbound.person_id is not None, "understood_as": inbound.understood_as})


def inbound_sms_record(*, provider_id: str, source_number: str, body: str, received_at: datetime) -> InboundSms:
    """Keep a reply, match it to a person, and confirm or ask to rearrange their next appointment."""
    with transaction.atomic():
        existing = InboundSms.objects.filter(provider_id=provider_id).first()
        if existing is not None:
            return existing  # Notify retries callbacks; a reply counts once
        candidates = list(
            Person.objects.filter(phone__in=phone_variants(source_number), status__in=COMMUNITY_STATUSES)[:2]
        )
        person = candidates[0] if len(candidates) == 1 else None  # a shared number is matched to no one
        inbound = InboundSms.objects.create(
            provider_id=provider_id[:100],
            source_number=source_number[:30],
            body=body[:2000],
            received_at=received_at,
            person=person,
        )
        if person is not None:
            inbound.understood_as = _act_on_reply(person, body)
            inbound.save(update_fields=["understood_as"])
    return inbound


def phone_variants(number: str) -> list[str]:
    """The ways a UK mobile number may be stored: 07700900123, +447700900123, 447700900123."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("44"):
        national = "0" + digits[2:]
    elif digits.startswith("0"):
        national = digits
    else:
        national = "0" + digits
    return sorted({national, "+44" + national[1:], "44" + national[1:], number.strip()})


ReplyHandler = Callable[[Any, str, str], bool]
_REPLY_HANDLERS: list[ReplyHandler] = []


def reply_handler(handler: ReplyHandler) -> ReplyHandler:
    """Register what a reply means to another app: `handler(person, meaning, body)` returns True when it acted.

    `meaning` is "confirm" or "rearrange". Handlers are asked in the order they registered; the first
    that acts takes the reply (the appointments app registers one for the person's next appointment).
    """
    if handler not in _REPLY_HANDLERS:
        _REPLY_HANDLERS.append(handler)
    return handler


def _act_on_reply(person: Any, body: str) -> str:
    word = body.strip().split()[0].lower().strip(".!") if body.strip() else ""
    meaning = "confirm" if word in CONFIRM_WORDS else "rearrange" if word in REARRANGE_WORDS else ""
    if not meaning:
        return ""
    for handler in _REPLY_HANDLERS:
        if handler(person, meaning, body):
            return meaning
    return ""


def _client() -> Any:
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(
        _setting("NOTIFY_API_KEY"), base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT_SECONDS
    )


def _setting(name: str) -> str:
    value = str(getattr(settings, name, "") or "")
    if not value:
        raise ChannelError(f"{name} is not set.")
    return value


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(str(value).replace("Z", "+00:00"))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed
