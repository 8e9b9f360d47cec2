"""Reminders: planned when an appointment is booked, sent by a periodic job when due.

Planning works on a batch of appointments with a fixed number of queries; one row per (appointment,
offset) makes each reminder exactly once. Sending claims a batch of due rows with one UPDATE (so two
workers never take the same row), re-checks each appointment's state, writes the outbox rows and
the confirm-or-rearrange links in bulk, and hands the batch to the channels. Times are absolute;
quiet hours are judged in Europe/London local time, so a reminder due at 22:30 goes at 08:00.
"""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from onward.appointments.models import (
    REMINDABLE_STATES,
    Appointment,
    AppointmentState,
    Reminder,
    ReminderPreference,
    ReminderState,
)

logger = logging.getLogger(__name__)

REMINDER_BATCH_SIZE = 500
LINK_PURPOSE = "appointment_reminder"
PLACEHOLDER_ID = 987654321


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, local: datetime) -> bool:
        moment = local.time()
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def next_end(self, local: datetime) -> datetime:
        """The end of the quiet period containing this local time (the same morning or the next)."""
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end = _local(end.replace(tzinfo=None) + timedelta(days=1))
        return _local(end.replace(tzinfo=None))


def reminder_offsets(appointment: Appointment, preference: ReminderPreference | None) -> list[int]:
    """Minutes before the start: the person's offsets for this kind, theirs for all kinds, the kind's, the default."""
    if preference is not None:
        by_kind = preference.offsets_by_kind or {}
        if by_kind.get(appointment.kind):
            return sorted({int(m) for m in by_kind[appointment.kind]}, reverse=True)
        if preference.offsets_minutes:
            return sorted({int(m) for m in preference.offsets_minutes}, reverse=True)
    kinds: dict[str, list[int]] = settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND
    return sorted(set(kinds.get(appointment.kind, settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES)), reverse=True)


def reminder_due_at(starts_at: datetime, offset_minutes: int, quiet: QuietHours) -> datetime:
    """When to send: the offset before the start, moved out of quiet hours, never after the start."""
    # In UTC: arithmetic on a London datetime would count wall-clock hours, not real ones.
    due = starts_at.astimezone(UTC) - timedelta(minutes=offset_minutes)
    local = timezone.localtime(due)
    if not quiet.contains(local):
        return due
    after = quiet.next_end(local)
    if after < starts_at:
        return after
    # The morning is too late: send just before the quiet hours began instead.
    start = local.replace(hour=quiet.start.hour, minute=quiet.start.minute, second=0, microsecond=0)
    if start.time() > local.time():
        start = _local(start.replace(tzinfo=None) - timedelta(days=1))
    return _local(start.replace(tzinfo=None)) - timedelta(minutes=1)


def quiet_hours_for(preference: ReminderPreference | None) -> QuietHours:
    if preference is None:
        return QuietHours(settings.APPOINTMENT_QUIET_START, settings.APPOINTMENT_QUIET_END)
    return QuietHours(preference.quiet_start, preference.quiet_end)


def reminders_plan_for(appointments: Iterable[Appointment], now: datetime | None = None) -> int:
    """Create the reminder rows of these appointments in one bulk insert (existing ones are kept)."""
    at = now or timezone.now()
    appointments = list(appointments)
    preferences = {
        p.person_id: p for p in ReminderPreference.objects.filter(person_id__in={a.person_id for a in appointments})
    }
    rows = []
    for appointment in appointments:
        if appointment.state not in REMINDABLE_STATES:
            continue
        preference = preferences.get(appointment.person_id)
        quiet = quiet_hours_for(preference)
        for offset in reminder_offsets(appointment, preference):
            due = reminder_due_at(appointment.starts_at, offset, quiet)
            if due < at:
                continue  # booked too late for this one; the booking notice told them
            rows.append(Reminder(appointment=appointment, offset_minutes=offset, due_at=due))
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=REMINDER_BATCH_SIZE)
    return len(rows)


def reminders_plan(now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE) -> dict[str, int]:
    """A periodic safety net (and the path for imported appointments): plan any booked appointment with none.

    Two queries per batch: the appointments, their preferences, then one insert.
    """
    at = now or timezone.now()
    horizon = at + timedelta(minutes=max(_all_offsets()), days=settings.APPOINTMENT_PLAN_AHEAD_DAYS)
    planned = 0
    last_id = 0
    while True:
        batch = list(
            Appointment.objects.filter(
                pk__gt=last_id, state=AppointmentState.BOOKED, starts_at__gt=at, starts_at__lte=horizon
            )
            .filter(~Exists(Reminder.objects.filter(appointment=OuterRef("pk"))))
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        planned += reminders_plan_for(batch, now=at)
        last_id = batch[-1].pk
    return {"planned": planned}


def reminders_send(now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE) -> dict[str, int]:
    """Send every due reminder, batch by batch. Safe to run in several workers at once."""
    sent = skipped = 0
    while True:
        batch_sent, batch_skipped = reminders_send_batch(now=now, batch_size=batch_size)
        if not batch_sent and not batch_skipped:
            break
        sent += batch_sent
        skipped += batch_skipped
    return {"sent": sent, "skipped": skipped}


def reminders_send_batch(now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE) -> tuple[int, int]:
    """Claim up to one batch of due reminders, queue their messages and deliver them. Returns (sent, skipped)."""
    from onward.notifications.delivery import outbox_deliver_many
    from onward.notifications.models import OutboxMessage

    at = now or timezone.now()
    token = secrets.token_hex(16)
    due_ids = Reminder.objects.filter(state=ReminderState.PLANNED, due_at__lte=at).order_by("due_at")
    claimed = (
        Reminder.objects.filter(pk__in=list(due_ids.values_list("pk", flat=True)[:batch_size]))
        .filter(state=ReminderState.PLANNED)
        .update(state=ReminderState.SENDING, claim_token=token)
    )
    if not claimed:
        return 0, 0
    reminders = list(
        Reminder.objects.filter(claim_token=token, state=ReminderState.SENDING).select_related(
            "appointment",
            "appointment__person",
            "appointment__person__reminder_preference",
            "appointment__person__account",
        )
    )
    live = [r for r in reminders if _still_due(r, at)]
    live_ids = {r.pk for r in live}
    push_accounts = _push_accounts([r.appointment.person for r in live])
    stale = [r.pk for r in reminders if r.pk not in live_ids]
    with transaction.atomic():
        links = _links_issue([r.appointment for r in live], at)
        messages = []
        for reminder in live:
            messages.append(_reminder_message(reminder, links.get(reminder.appointment_id, ""), push_accounts))
        OutboxMessage.objects.bulk_create(
            [m for m in messages if m is not None], ignore_conflicts=True, batch_size=batch_size
        )
        if stale:
            Reminder.objects.filter(pk__in=stale, claim_token=token).update(state=ReminderState.SKIPPED, claim_token="")
        by_channel: dict[str, list[int]] = {}
        for reminder, message in zip(live, messages, strict=True):
            by_channel.setdefault(message.channel if message is not None else "", []).append(reminder.pk)
        for channel, ids in by_channel.items():  # one UPDATE per channel, not one per reminder
            Reminder.objects.filter(pk__in=ids, claim_token=token).update(
                state=ReminderState.SENT if channel else ReminderState.SKIPPED,
                channel=channel,
                sent_at=at,
                claim_token="",
            )
    keys = [m.idempotency_key for m in messages if m is not None]
    ids = list(OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True))
    outbox_deliver_many(ids, now=at)
    sent = sum(1 for m in messages if m is not None)
    logger.info("Appointment reminders: %s sent, %s skipped", sent, len(reminders) - sent)
    return sent, len(reminders) - sent


# --- helpers ---------------------------------------------------------------------------------


def _still_due(reminder: Reminder, at: datetime) -> bool:
    appointment = reminder.appointment
    return appointment.state in REMINDABLE_STATES and appointment.starts_at > at


def _push_accounts(people: list[Any]) -> set[int]:
    """The accounts among these people's that push can reach, in one query (none when push is not set up)."""
    from onward.notifications.models import PushSubscription
    from onward.notifications.push import push_configured

    account_ids = {account.pk for account in (getattr(p, "account", None) for p in people) if account is not None}
    if not account_ids or not push_configured():
        return set()
    live = PushSubscription.objects.filter(user_id__in=account_ids, revoked_at__isnull=True)
    return set(live.values_list("user_id", flat=True))


def _reminder_message(reminder: Reminder, link: str, push_accounts: set[int] | None = None) -> Any:
    from onward.appointments.services import contact_for
    from onward.notifications.models import OutboxMessage

    appointment = reminder.appointment
    person = appointment.person
    user = getattr(person, "account", None)
    push_ready = user is not None and user.pk in (push_accounts or set())
    channel, recipient = contact_for(person, push_ready=push_ready)
    if channel == "in_app":
        if user is None:
            return None
        recipient = str(user.pk)
    with override(person.preferred_language):
        when = formats.date_format(timezone.localtime(appointment.starts_at), "l j F, H:i")
        where = _("video call") if appointment.is_video else appointment.address.replace("\n", ", ")
        body = _("Reminder: %(what)s on %(when)s, %(where)s.") % {
            "what": appointment.get_kind_display(),
            "when": when,
            "where": where,
        }
        if link:
            body += " " + _("Confirm or ask to rearrange: %(link)s") % {"link": link}
        if channel == "sms" and settings.APPOINTMENT_SMS_REPLIES:
            body += " " + _("Or reply YES to confirm, or R to ask to rearrange.")
        subject = _("Appointment reminder")
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        user=user if channel in ("in_app", "push") else None,
        person=person,
        subject=subject,
        body=body,
        idempotency_key=f"appointment-reminder:{reminder.pk}",
        next_attempt_at=reminder.due_at,
    )


def _links_issue(appointments: list[Appointment], at: datetime) -> dict[int, str]:
    """One sign-in link per appointment, in one insert: the same rows `sign_in_link_issue` writes.

    Built in bulk here so a batch of reminders costs a fixed number of queries; redeemed by the
    accounts app's own `sign_in_link_redeem` (with the person's date of birth).
    """
    from onward.accounts.models import SignInLink
    from onward.accounts.services import code_digest

    rows, links = [], {}
    # Reversed once per batch: a reverse() per reminder costs more than the rest of the reminder.
    link_path = reverse("accounts:person_link", kwargs={"token": "TOKEN"})
    next_path = reverse("appointments:person_appointment", args=[PLACEHOLDER_ID])
    base_url = settings.APPOINTMENT_LINK_BASE_URL.rstrip("/")
    for appointment in appointments:
        user = getattr(appointment.person, "account", None)
        if user is None:
            continue
        token = secrets.token_urlsafe(24)
        rows.append(
            SignInLink(
                user=user,
                token_digest=code_digest("link", token),
                purpose=LINK_PURPOSE,
                next_url=next_path.replace(str(PLACEHOLDER_ID), str(appointment.pk)),
                expires_at=appointment.starts_at + timedelta(hours=1),
            )
        )
        links[appointment.pk] = base_url + link_path.replace("TOKEN", token)
    SignInLink.objects.bulk_create(rows, batch_size=REMINDER_BATCH_SIZE)
    return links


def _all_offsets() -> list[int]:
    offsets = list(settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES)
    for values in settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND.values():
        offsets += list(values)
    return offsets or [0]


def _local(naive: datetime) -> datetime:
    """A London wall-clock time as an aware datetime (a time skipped by the spring change moves forward)."""
    aware = timezone.make_aware(naive, timezone.get_default_timezone())
    return timezone.localtime(aware)
