"""Private iCalendar feeds (RFC 5545): one revocable secret address per person or member of staff.

Times go out in UTC (`DTSTART:…Z`), which every calendar converts to the reader's zone, so an
appointment is at the same wall-clock time either side of the BST/GMT changes.
"""

import secrets
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from onward.accounts.services import code_digest
from onward.appointments.models import Appointment, AppointmentState, CalendarFeed
from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require

CALENDAR_PRODID = "-//Onward//Appointments//EN"
DIGEST_PURPOSE = "calendar"
STATUS_BY_STATE = {AppointmentState.CANCELLED: "CANCELLED", AppointmentState.REARRANGED: "CANCELLED"}


def calendar_feed_issue(*, actor: Any) -> str:
    """A new secret feed address for the actor; any earlier one stops working. Returns the path (shown once)."""
    require(actor, "appointment.calendar")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(user=actor, token_digest=code_digest(DIGEST_PURPOSE, token))
        audit_record(
            actor=actor,
            role="person" if actor.kind == UserKind.PERSON else "staff",
            action=AuditAction.CALENDAR_FEED_ISSUED,
            person=actor.person if actor.kind == UserKind.PERSON else None,
            target=feed,
        )
    return reverse("appointments:calendar_feed", args=[token])


def calendar_feed_revoke(*, actor: Any) -> int:
    """Stop the actor's feed address working."""
    require(actor, "appointment.calendar")
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            audit_record(actor=actor, action=AuditAction.CALENDAR_FEED_REVOKED, person=getattr(actor, "person", None))
    return revoked


def calendar_feed_owner(token: str) -> Any | None:
    """The user whose live feed this token opens, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=code_digest(DIGEST_PURPOSE, token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    user = feed.user
    if user.kind == UserKind.STAFF:
        # A staff feed address is made only in a session past the second factor, and it opens nothing
        # but this read-only calendar: the token stands in for that factor here, and here only.
        user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def calendar_render(user: Any, appointments: list[Appointment]) -> bytes:
    """An iCalendar document of these appointments, for a person (their own words) or staff (with names)."""
    calendar = Calendar()
    calendar.add("prodid", CALENDAR_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Onward appointments"))
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{settings.ONWARD_SERVICE_NAME.lower()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.starts_at.astimezone(UTC))
        event.add("dtend", appointment.ends_at.astimezone(UTC))
        summary = str(appointment.get_kind_display())
        if getattr(user, "kind", None) == UserKind.STAFF:
            summary = f"{summary}: {appointment.person.reference}"
        event.add("summary", summary)
        event.add("location", appointment.video_url or appointment.address.replace("\n", ", "))
        if appointment.video_url:
            event.add("url", appointment.video_url)
        event.add("status", STATUS_BY_STATE.get(AppointmentState(appointment.state), "CONFIRMED"))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def feed_since() -> Any:
    return timezone.now() - timedelta(days=settings.APPOINTMENT_CALENDAR_PAST_DAYS)
