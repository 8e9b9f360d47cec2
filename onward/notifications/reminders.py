"""The reminder engine: reminders planned for things other apps own, sent by a periodic job when due.

An app registers a *reminder kind* in its own `reminders.py` (what to remind about, when, in what
words, and whether it is still due); this engine never imports those apps. Planning works on a batch
of things with a fixed number of queries; one row per (kind, thing, offset) makes each reminder
exactly once. Sending claims a batch of due rows with one UPDATE (so two workers never take the same
row), asks each kind whether its things are still due, writes the outbox rows and the sign-in links
in bulk, and hands the batch to the channels. Times are absolute; quiet hours are judged in
Europe/London local time, so a reminder due at 22:30 goes at 08:00.
"""

import logging
import secrets
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from onward.accounts.actors import PersonUser
from onward.accounts.services import sign_in_links_issue_many
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.notifications.delivery import outbox_deliver_many
from onward.notifications.models import (
    OutboxMessage,
    PushSubscription,
    Reminder,
    ReminderChannel,
    ReminderPreference,
    ReminderState,
)
from onward.notifications.push import push_configured, push_reachable
from onward.notifications.services import contact_for
from onward.people.models import Person

logger = logging.getLogger(__name__)

REMINDER_BATCH_SIZE = 500


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


@dataclass(frozen=True)
class ReminderLink:
    """A sign-in link in a reminder: with the person's date of birth it opens `next_path` until `expires_at`."""

    next_path: str
    expires_at: datetime


class ReminderKind(ABC):
    """What one app tells the engine about one sort of thing to remind people of.

    Every method that takes many things runs a fixed number of queries, whatever their number.
    """

    name: str  # stored on each reminder row; never change it once reminders exist
    link_purpose: str = "reminder"

    @abstractmethod
    def things(self, ids: list[int]) -> dict[int, Any]:
        """The things with these ids, by id, each with `.person` and `.person.account` loaded."""

    @abstractmethod
    def moment(self, thing: Any) -> datetime:
        """The time the offsets count back from (an appointment's start, the end of a window)."""

    @abstractmethod
    def offsets(self, thing: Any, preference: ReminderPreference | None) -> list[int]:
        """Minutes before `moment` to remind, largest first."""

    def not_before(self, thing: Any) -> datetime | None:
        """No reminder is planned at or before this time (the invitation went then)."""
        return None

    @abstractmethod
    def still_due(self, thing: Any, at: datetime) -> bool:
        """Whether the person still has something to do at `at`; a reminder of a thing that is not is skipped."""

    def channel(self, thing: Any) -> str | None:
        """A channel chosen for this thing ("in_app" keeps it in the app); None uses the person's preference."""
        return None

    def link(self, thing: Any) -> ReminderLink | None:
        return None

    def link_base_url(self) -> str:
        return str(settings.PUBLIC_BASE_URL)

    @abstractmethod
    def words(self, thing: Any, channel: str, link: str) -> tuple[str, str]:
        """(subject, body) in the active language (the engine switches to the person's)."""

    @abstractmethod
    def upcoming_for(self, person_id: int, at: datetime) -> list[Any]:
        """The person's things still to come (their reminders are planned again when their preference changes)."""

    @abstractmethod
    def missing(self, at: datetime, after_id: int, batch_size: int) -> list[Any]:
        """Up to `batch_size` things after `after_id` (by id) that should have reminders and have none."""

    def sent(self, ids: list[int], at: datetime) -> None:
        """The things whose reminders went at `at`, for the owning app to note in its own table."""
        return None


_KINDS: dict[str, ReminderKind] = {}


def reminder_kind(kind: ReminderKind) -> ReminderKind:
    """Register a kind (from an app's reminders.py, found at start-up)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and type(existing) is not type(kind):
        raise ValueError(f"Two reminder kinds are called {kind.name!r}.")
    _KINDS[kind.name] = kind
    return kind


def reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_KINDS)


def reminder_due_at(moment: datetime, offset_minutes: int, quiet: QuietHours) -> datetime:
    """When to send: the offset before the moment, moved out of quiet hours, never after the moment."""
    # In UTC: arithmetic on a London datetime would count wall-clock hours, not real ones.
    due = moment.astimezone(UTC) - timedelta(minutes=offset_minutes)
    local = timezone.localtime(due)
    if not quiet.contains(local):
        return due
    after = quiet.next_end(local)
    if after < moment:
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


def reminders_plan_for(kind: ReminderKind, things: Iterable[Any], now: datetime | None = None) -> int:
    """Create the reminder rows of these things in one bulk insert (existing ones are kept)."""
    at = now or timezone.now()
    things = list(things)
    preferences = {
        p.person_id: p for p in ReminderPreference.objects.filter(person_id__in={t.person_id for t in things})
    }
    rows = []
    for thing in things:
        if not kind.still_due(thing, at):
            continue
        preference = preferences.get(thing.person_id)
        quiet = quiet_hours_for(preference)
        floor = kind.not_before(thing)
        moment = kind.moment(thing)
        for offset in kind.offsets(thing, preference):
            due = reminder_due_at(moment, offset, quiet)
            if due < at or (floor is not None and due <= floor):
                continue  # too late for this one: the booking notice or the invitation told them
            rows.append(
                Reminder(
                    kind=kind.name, object_id=thing.pk, person_id=thing.person_id, offset_minutes=offset, due_at=due
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=REMINDER_BATCH_SIZE)
    return len(rows)


def reminders_replan(kind: ReminderKind, things: Iterable[Any], now: datetime | None = None) -> int:
    """Plan these things' reminders again (the person changed how they want reminding): planned rows go first."""
    things = list(things)
    with transaction.atomic():
        Reminder.objects.filter(
            kind=kind.name, object_id__in=[t.pk for t in things], state=ReminderState.PLANNED
        ).delete()
        return reminders_plan_for(kind, things, now=now)


def reminders_skip(kind: ReminderKind, object_ids: Iterable[int]) -> int:
    """The planned reminders of these things will not be sent (the thing was cancelled or happened)."""
    return Reminder.objects.filter(kind=kind.name, object_id__in=list(object_ids), state=ReminderState.PLANNED).update(
        state=ReminderState.SKIPPED
    )


def reminders_plan(now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE) -> dict[str, int]:
    """A periodic safety net (and the path for imported things): plan any thing of any kind that has none."""
    at = now or timezone.now()
    planned = 0
    for kind in _KINDS.values():
        last_id = 0
        while True:
            batch = kind.missing(at, last_id, batch_size)
            if not batch:
                break
            planned += reminders_plan_for(kind, batch, now=at)
            last_id = batch[-1].pk
    return {"planned": planned}


def reminders_send(
    now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE, *, due_by: datetime | None = None
) -> dict[str, int]:
    """Send every due reminder, batch by batch. Safe to run in several workers at once.

    `due_by` sends early the reminders due up to that time (a demo, or catching up after downtime);
    whether each thing is still due is judged at `now`, so sending early never spends a reminder.
    """
    sent = skipped = 0
    while True:
        batch_sent, batch_skipped = reminders_send_batch(now=now, batch_size=batch_size, due_by=due_by)
        if not batch_sent and not batch_skipped:
            break
        sent += batch_sent
        skipped += batch_skipped
    return {"sent": sent, "skipped": skipped}


def reminders_send_batch(
    now: datetime | None = None, batch_size: int = REMINDER_BATCH_SIZE, *, due_by: datetime | None = None
) -> tuple[int, int]:
    """Claim up to one batch of due reminders, queue their messages and deliver them. Returns (sent, skipped)."""
    at = now or timezone.now()
    token = secrets.token_hex(16)
    due_ids = Reminder.objects.filter(state=ReminderState.PLANNED, due_at__lte=max(due_by or at, at)).order_by("due_at")
    claimed = (
        Reminder.objects.filter(pk__in=list(due_ids.values_list("pk", flat=True)[:batch_size]))
        .filter(state=ReminderState.PLANNED)
        .update(state=ReminderState.SENDING, claim_token=token)
    )
    if not claimed:
        return 0, 0
    reminders = list(Reminder.objects.filter(claim_token=token, state=ReminderState.SENDING))
    things = _things_of(reminders)
    live = [
        r
        for r in reminders
        if r.kind in _KINDS and (thing := things.get((r.kind, r.object_id))) is not None
        if _KINDS[r.kind].still_due(thing, at)
    ]
    preferences = {p.person_id: p for p in ReminderPreference.objects.filter(person_id__in={r.person_id for r in live})}
    push_accounts = _push_accounts([things[(r.kind, r.object_id)].person for r in live])
    live_ids = {r.pk for r in live}
    stale = [r.pk for r in reminders if r.pk not in live_ids]
    with transaction.atomic():
        links = _links_issue(live, things)
        messages = _reminder_messages(live, things, links, preferences, push_accounts, at)
        OutboxMessage.objects.bulk_create(
            [m for m in messages if m is not None], ignore_conflicts=True, batch_size=batch_size
        )
        if stale:
            Reminder.objects.filter(pk__in=stale, claim_token=token).update(state=ReminderState.SKIPPED, claim_token="")
        by_channel: dict[str, list[int]] = defaultdict(list)
        for reminder, message in zip(live, messages, strict=True):
            by_channel[message.channel if message is not None else ""].append(reminder.pk)
        for channel, ids in by_channel.items():  # one UPDATE per channel, not one per reminder
            Reminder.objects.filter(pk__in=ids, claim_token=token).update(
                state=ReminderState.SENT if channel else ReminderState.SKIPPED,
                channel=channel,
                sent_at=at,
                claim_token="",
            )
        reminded: dict[str, list[int]] = defaultdict(list)
        for reminder, message in zip(live, messages, strict=True):
            if message is not None:
                reminded[reminder.kind].append(reminder.object_id)
        for kind_name, object_ids in reminded.items():
            _KINDS[kind_name].sent(object_ids, at)
    keys = [m.idempotency_key for m in messages if m is not None]
    ids = list(OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True))
    outbox_deliver_many(ids, now=at)
    sent = sum(1 for m in messages if m is not None)
    logger.info("Reminders: %s sent, %s skipped", sent, len(reminders) - sent)
    return sent, len(reminders) - sent


ASK_FOR_CONTACT = gettext_noop("Ask your probation practitioner to add it, or choose another way.")
REMINDER_OFFSET_CHOICES_MINUTES = (7 * 24 * 60, 2 * 24 * 60, 24 * 60, 2 * 60, 60)


@dataclass(frozen=True)
class ReminderSettings:
    channel: str
    offsets_minutes: list[int]
    quiet_start: Any
    quiet_end: Any


def reminder_preference_save(*, actor: PersonUser, person: Person, wanted: ReminderSettings) -> ReminderPreference:
    """How the person wants reminding; the planned reminders of everything still to come follow at once."""
    require(actor, "person.self", person)
    _reminder_settings_check(person, wanted)
    with transaction.atomic():
        preference, _created = ReminderPreference.objects.select_for_update().get_or_create(person=person)
        before = _preference_data(preference)
        preference.channel = wanted.channel
        preference.offsets_minutes = sorted(set(wanted.offsets_minutes), reverse=True)
        preference.quiet_start = wanted.quiet_start
        preference.quiet_end = wanted.quiet_end
        preference.save()
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.APPOINTMENT_REMINDER_PREFERENCE_SAVED,
            person=person,
            target=preference,
            data={"before": before, "after": _preference_data(preference)},
        )
        # Reminders not yet sent are planned again with the new times; sent ones stay as they were.
        person.reminder_preference = preference
        now = timezone.now()
        for kind in reminder_kinds().values():
            reminders_replan(kind, kind.upcoming_for(person.pk, now), now=now)
    return preference


def reminder_settings_for(person: Person) -> ReminderSettings:
    """How this person is reminded now: their own choice, or the defaults until they make one."""
    preference = ReminderPreference.objects.filter(person=person).first()
    quiet = quiet_hours_for(preference)
    return ReminderSettings(
        channel=preference.channel if preference else settings.APPOINTMENT_DEFAULT_CHANNEL,
        offsets_minutes=list(
            (preference.offsets_minutes if preference and preference.offsets_minutes else None)
            or settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES
        ),
        quiet_start=quiet.start,
        quiet_end=quiet.end,
    )


# --- helpers ---------------------------------------------------------------------------------


def _reminder_settings_check(person: Person, wanted: ReminderSettings) -> None:
    if wanted.channel not in ReminderChannel.values:
        raise ValidationError(_("Choose how we should remind you."))
    if wanted.channel == ReminderChannel.SMS and not person.phone_verified:
        raise ValidationError(_("We do not have a mobile number for you.") + " " + _(ASK_FOR_CONTACT))
    if wanted.channel == ReminderChannel.EMAIL and not person.email_verified:
        raise ValidationError(_("We do not have an email address for you.") + " " + _(ASK_FOR_CONTACT))
    if wanted.channel == ReminderChannel.PUSH and not push_reachable(getattr(person, "account", None)):
        raise ValidationError(_("First turn on notifications on this phone, then choose this again."))
    if not wanted.offsets_minutes:
        raise ValidationError(_("Choose at least one time to be reminded."))
    if any(m not in REMINDER_OFFSET_CHOICES_MINUTES for m in wanted.offsets_minutes):
        raise ValidationError(_("Choose the times from the list."))
    if wanted.quiet_start == wanted.quiet_end:
        raise ValidationError(_("Quiet hours must start and end at different times."))


def _preference_data(preference: ReminderPreference) -> dict[str, Any]:
    return {
        "channel": preference.channel,
        "offsets_minutes": list(preference.offsets_minutes or []),
        "quiet_start": preference.quiet_start.isoformat(timespec="minutes"),
        "quiet_end": preference.quiet_end.isoformat(timespec="minutes"),
    }


def _things_of(reminders: list[Reminder]) -> dict[tuple[str, int], Any]:
    """The reminded things, one query per kind in the batch."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        wanted[reminder.kind].add(reminder.object_id)
    found: dict[tuple[str, int], Any] = {}
    for kind_name, ids in wanted.items():
        kind = _KINDS.get(kind_name)
        if kind is None:
            logger.error("Reminders of an unknown kind %r are skipped", kind_name)
            continue
        found.update({(kind_name, pk): thing for pk, thing in kind.things(sorted(ids)).items()})
    return found


def _push_accounts(people: list[Person]) -> set[int]:
    """The accounts among these people's that push can reach, in one query (none when push is not set up)."""
    account_ids = {account.pk for account in (getattr(p, "account", None) for p in people) if account is not None}
    if not account_ids or not push_configured():
        return set()
    live = PushSubscription.objects.filter(user_id__in=account_ids, revoked_at__isnull=True)
    return set(live.values_list("user_id", flat=True))


def _links_issue(reminders: list[Reminder], things: dict[tuple[str, int], Any]) -> dict[int, str]:
    """The sign-in link of each reminder whose kind gives one: one insert per kind in the batch."""
    wanted: dict[str, list[tuple[int, Any, str, datetime]]] = defaultdict(list)
    for reminder in reminders:
        thing = things[(reminder.kind, reminder.object_id)]
        link = _KINDS[reminder.kind].link(thing)
        if link is not None:
            wanted[reminder.kind].append(
                (reminder.pk, getattr(thing.person, "account", None), link.next_path, link.expires_at)
            )
    links: dict[int, str] = {}
    for kind_name, rows in wanted.items():
        kind = _KINDS[kind_name]
        links.update(sign_in_links_issue_many(rows, purpose=kind.link_purpose, base_url=kind.link_base_url()))
    return links


def _reminder_messages(
    reminders: list[Reminder],
    things: dict[tuple[str, int], Any],
    links: dict[int, str],
    preferences: dict[int, ReminderPreference],
    push_accounts: set[int],
    at: datetime,
) -> list[OutboxMessage | None]:
    """The outbox rows of a batch, in the reminders' order; the language is switched once per language, not per row."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, reminder in enumerate(reminders):
        by_language[things[(reminder.kind, reminder.object_id)].person.preferred_language].append(index)
    messages: list[OutboxMessage | None] = [None] * len(reminders)
    for language, indexes in by_language.items():
        with override(language):
            for index in indexes:
                reminder = reminders[index]
                thing = things[(reminder.kind, reminder.object_id)]
                messages[index] = _reminder_message(
                    reminder, thing, links.get(reminder.pk, ""), preferences, push_accounts, at
                )
    return messages


def _reminder_message(
    reminder: Reminder,
    thing: Any,
    link: str,
    preferences: dict[int, ReminderPreference],
    push_accounts: set[int],
    at: datetime,
) -> OutboxMessage | None:
    """The outbox row of one reminder: the person's channel (with fallback), text in the active language.

    None when the only way left is the app and the person has no account yet.
    """
    kind = _KINDS[reminder.kind]
    person = thing.person
    user = getattr(person, "account", None)
    push_ready = user is not None and user.pk in push_accounts
    chosen = kind.channel(thing)
    if chosen == "in_app":
        channel, recipient = "in_app", ""
    else:
        preference = preferences.get(person.pk)
        preferred = chosen or (preference.channel if preference is not None else settings.APPOINTMENT_DEFAULT_CHANNEL)
        channel, recipient = contact_for(person, preferred, push_ready=push_ready)
    if channel == "in_app":
        if user is None:
            return None
        recipient = str(user.pk)
    subject, body = kind.words(thing, channel, link)  # the caller has switched to the person's language
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        user=user if channel in ("in_app", "push") else None,
        person=person,
        subject=subject,
        body=body,
        idempotency_key=f"{kind.name}-reminder:{reminder.pk}",
        next_attempt_at=min(reminder.due_at, at),  # one sent early goes now
    )


def _local(naive: datetime) -> datetime:
    """A London wall-clock time as an aware datetime (a time skipped by the spring change moves forward)."""
    aware = timezone.make_aware(naive, timezone.get_default_timezone())
    return timezone.localtime(aware)
