"""Reminders: planned when an appointment is booked or a check-in window opens, sent by a periodic job when due.

Planning works on a batch of appointments with a fixed number of queries; one row per (appointment,
offset) makes each reminder exactly once. Sending claims a batch of due rows with one UPDATE (so two
workers never take the same row), re-checks each appointment's state, writes the outbox rows and
the confirm-or-rearrange links in bulk, and hands the batch to the channels. Times are absolute;
quiet hours are judged in Europe/London local time, so a reminder due at 22:30 goes at 08:00.

Check-in windows (onward.checkins) use the same rows and the same sending job: the offset counts
back from the end of the window instead of the start of an appointment, and the job re-checks that
the check-in is still waiting for the person.
"""

import logging
import secrets
from collections.abc import Callable, Iterable
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
CHECKIN_REMINDABLE_STATES = frozenset({"created"})  # the check-in is still waiting for the person
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


def checkin_reminders_plan_for(checkins: Iterable[Any], now: datetime | None = None) -> int:
    """Create the reminder rows of these check-ins' windows in one bulk insert (existing ones are kept).

    A reminder that would fall before the window opens is not planned: the invitation went then.
    """
    at = now or timezone.now()
    checkins = list(checkins)
    preferences = {
        p.person_id: p for p in ReminderPreference.objects.filter(person_id__in={c.person_id for c in checkins})
    }
    rows = []
    for checkin in checkins:
        if checkin.state not in CHECKIN_REMINDABLE_STATES:
            continue
        quiet = quiet_hours_for(preferences.get(checkin.person_id))
        for offset in sorted(set(settings.CHECKIN_REMINDER_OFFSETS_MINUTES), reverse=True):
            due = reminder_due_at(checkin.closes_at, offset, quiet)
            if due < at or due <= checkin.opens_at:
                continue
            rows.append(Reminder(checkin=checkin, offset_minutes=offset, due_at=due))
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
    planned += _checkin_reminders_plan_missing(at, batch_size)
    return {"planned": planned}


def _checkin_reminders_plan_missing(at: datetime, batch_size: int) -> int:
    from onward.checkins.models import CheckIn

    planned = 0
    last_id = 0
    while True:
        batch = list(
            CheckIn.objects.filter(pk__gt=last_id, state__in=CHECKIN_REMINDABLE_STATES, closes_at__gt=at)
            .filter(~Exists(Reminder.objects.filter(checkin=OuterRef("pk"))))
            .order_by("pk")[:batch_size]
        )
        if not batch:
            return planned
        planned += checkin_reminders_plan_for(batch, now=at)
        last_id = batch[-1].pk


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
            "checkin",
            "checkin__enrolment",
            "checkin__person",
            "checkin__person__reminder_preference",
            "checkin__person__account",
        )
    )
    live = [r for r in reminders if _still_due(r, at)]
    live_ids = {r.pk for r in live}
    push_accounts = _push_accounts([_person_of(r) for r in live])
    stale = [r.pk for r in reminders if r.pk not in live_ids]
    with transaction.atomic():
        links = _links_issue([r.appointment for r in live if r.appointment is not None])
        checkin_links = _checkin_links_issue([r.checkin for r in live if r.checkin is not None])
        messages = []
        for reminder in live:
            if reminder.checkin is not None:
                link = checkin_links.get(reminder.checkin.pk, "")
                messages.append(_checkin_reminder_message(reminder, link, push_accounts))
            elif reminder.appointment is not None:
                messages.append(_reminder_message(reminder, links.get(reminder.appointment.pk, ""), push_accounts))
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
        reminded = [r.checkin_id for r, m in zip(live, messages, strict=True) if r.checkin_id and m is not None]
        if reminded:
            from onward.checkins.models import CheckIn

            CheckIn.objects.filter(pk__in=reminded).update(reminded_at=at)
    keys = [m.idempotency_key for m in messages if m is not None]
    ids = list(OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True))
    outbox_deliver_many(ids, now=at)
    sent = sum(1 for m in messages if m is not None)
    logger.info("Reminders: %s sent, %s skipped", sent, len(reminders) - sent)
    return sent, len(reminders) - sent


# --- helpers ---------------------------------------------------------------------------------


def _still_due(reminder: Reminder, at: datetime) -> bool:
    if reminder.checkin is not None:
        return reminder.checkin.state in CHECKIN_REMINDABLE_STATES and reminder.checkin.closes_at > at
    appointment = reminder.appointment
    return appointment is not None and appointment.state in REMINDABLE_STATES and appointment.starts_at > at


def _push_accounts(people: list[Any]) -> set[int]:
    """The accounts among these people's that push can reach, in one query (none when push is not set up)."""
    from onward.notifications.models import PushSubscription
    from onward.notifications.push import push_configured

    account_ids = {account.pk for account in (getattr(p, "account", None) for p in people) if account is not None}
    if not account_ids or not push_configured():
        return set()
    live = PushSubscription.objects.filter(user_id__in=account_ids, revoked_at__isnull=True)
    return set(live.values_list("user_id", flat=True))


def _person_of(reminder: Reminder) -> Any:
    thing = reminder.checkin if reminder.checkin is not None else reminder.appointment
    assert thing is not None
    return thing.person


def _reminder_message(reminder: Reminder, link: str, push_accounts: set[int]) -> Any:
    appointment = reminder.appointment
    assert appointment is not None

    def compose(channel: str) -> tuple[str, str]:
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
        return _("Appointment reminder"), body

    key = f"appointment-reminder:{reminder.pk}"
    return _reminder_outbox(reminder, appointment.person, None, key, compose, push_accounts)


def _checkin_reminder_message(reminder: Reminder, link: str, push_accounts: set[int]) -> Any:
    """The reminder of a check-in window, by the channel chosen at enrolment (in-app only means in-app)."""
    checkin = reminder.checkin
    assert checkin is not None

    def compose(channel: str) -> tuple[str, str]:
        when = formats.date_format(timezone.localtime(checkin.closes_at), "l j F, H:i")
        body = _("A reminder: please do your check-in before %(when)s.") % {"when": when}
        return _("Reminder: your check-in"), f"{body} {link}".strip()

    preferred = checkin.enrolment.contact_preference
    key = f"checkin-reminder:{reminder.pk}"
    return _reminder_outbox(reminder, checkin.person, preferred, key, compose, push_accounts)


def _reminder_outbox(
    reminder: Reminder,
    person: Any,
    preferred: str | None,
    key: str,
    compose: Callable[[str], tuple[str, str]],
    push_accounts: set[int],
) -> Any:
    """The outbox row of one reminder: the person's channel (with fallback), text in their language.

    None when the only way left is the app and the person has no account yet.
    """
    from onward.appointments.services import contact_for
    from onward.notifications.models import OutboxMessage

    user = getattr(person, "account", None)
    push_ready = user is not None and user.pk in push_accounts
    channel, recipient = (
        ("in_app", "") if preferred == "in_app" else contact_for(person, preferred, push_ready=push_ready)
    )
    if channel == "in_app":
        if user is None:
            return None
        recipient = str(user.pk)
    with override(person.preferred_language):
        subject, body = compose(channel)
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        user=user if channel in ("in_app", "push") else None,
        person=person,
        subject=subject,
        body=body,
        idempotency_key=key,
        next_attempt_at=reminder.due_at,
    )


def _checkin_links_issue(checkins: list[Any]) -> dict[int, str]:
    """One sign-in link per check-in, valid until its window closes."""
    next_path = reverse("checkins:person_checkin")
    wanted = [(c.pk, getattr(c.person, "account", None), next_path, c.closes_at) for c in checkins]
    return _sign_in_links(wanted, purpose="checkin", base_url=settings.PUBLIC_BASE_URL)


def _links_issue(appointments: list[Appointment]) -> dict[int, str]:
    """One sign-in link per appointment, to its page, valid until an hour after it starts."""
    # Reversed once per batch: a reverse() per reminder costs more than the rest of the reminder.
    next_path = reverse("appointments:person_appointment", args=[PLACEHOLDER_ID])
    wanted = [
        (
            a.pk,
            getattr(a.person, "account", None),
            next_path.replace(str(PLACEHOLDER_ID), str(a.pk)),
            a.starts_at + timedelta(hours=1),
        )
        for a in appointments
    ]
    return _sign_in_links(wanted, purpose=LINK_PURPOSE, base_url=settings.PUBLIC_BASE_URL)


def _sign_in_links(wanted: list[tuple[int, Any, str, datetime]], *, purpose: str, base_url: str) -> dict[int, str]:
    """Sign-in links for (key, account, next path, expiry) in one insert: the rows `sign_in_link_issue` writes.

    Built in bulk here so a batch of reminders costs a fixed number of queries; redeemed by the
    accounts app's own `sign_in_link_redeem` (with the person's date of birth). People without an
    account get no link.
    """
    from onward.accounts.models import SignInLink
    from onward.accounts.services import code_digest

    rows, links = [], {}
    link_path = reverse("accounts:person_link", kwargs={"token": "TOKEN"})
    base = base_url.rstrip("/")
    for key, user, next_url, expires_at in wanted:
        if user is None:
            continue
        token = secrets.token_urlsafe(24)
        rows.append(
            SignInLink(
                user=user,
                token_digest=code_digest("link", token),
                purpose=purpose,
                next_url=next_url,
                expires_at=expires_at,
            )
        )
        links[key] = base + link_path.replace("TOKEN", token)
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
