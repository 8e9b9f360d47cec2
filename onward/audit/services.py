"""Writing and checking the audit trail. Services call `audit_record` inside their transaction."""

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from onward.audit.checkpoints import Checkpoint, checkpoints_read
from onward.audit.keys import audit_keys, audit_mac
from onward.audit.models import AuditChainHead, AuditEvent
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.bulk import bulk_insert
from onward.core.context import current_request_context

GENESIS_HASH = "0" * 64
VERIFY_BATCH_SIZE = 2000


def audit_record(
    *,
    actor: Any | None,
    action: AuditAction,
    person: Any | None = None,
    target: Any | None = None,
    role: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction, so it lands with the change or not at all.

    A SystemActor is recorded as the system with its job's name (role "system" unless given), never as a
    member of staff.

    `action` is a member of `AuditAction`; any other string raises ValueError before anything is written.
    """
    action = audit_action_checked(action)
    ctx = current_request_context()
    system = actor.name if isinstance(actor, SystemActor) else ""
    if system:
        actor, role = None, role or "system"
    key_id = audit_keys().current_id
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            actor_role=role,
            actor_system=system,
            action=action,
            person=person,
            object_type=type(target).__name__ if target is not None else "",
            object_id=str(getattr(target, "pk", "")) if target is not None else "",
            reason=reason,
            data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
            request_id=ctx.request_id,
            ip_address=ctx.ip_address,
            prev_hash=head.hash,
            key_id=key_id,
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One event of many that one actor causes at once (an import): what happened, to whom, with what data."""

    # Not `action`: the audit test reads class attributes by name, and models and forms have an `action` field.
    audit_action: AuditAction
    person: Any | None = None
    target: Any | None = None
    reason: str = ""
    data: dict[str, Any] | None = None


def audit_record_many(*, actor: Any | None, role: str, entries: Sequence[AuditEntry]) -> int:
    """Append many events by one actor, chained exactly as `audit_record` chains one.

    The chain head is locked once and the events are written in batches, so a bulk change costs a few
    queries however many people it touches. Joins the caller's transaction. Returns how many were written.
    A SystemActor is recorded as `audit_record` records it; every action must be an `AuditAction`.
    """
    if not entries:
        return 0
    actions = [audit_action_checked(entry.audit_action) for entry in entries]
    ctx = current_request_context()
    system = actor.name if isinstance(actor, SystemActor) else ""
    if system:
        actor, role = None, role or "system"
    key_id = audit_keys().current_id
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        seq, previous = head.seq, head.hash
        at = timezone.now()
        events = []
        for entry, action in zip(entries, actions, strict=True):
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=at,
                actor=actor if actor is not None and getattr(actor, "pk", None) else None,
                actor_role=role,
                actor_system=system,
                action=action,
                person=entry.person,
                object_type=type(entry.target).__name__ if entry.target is not None else "",
                object_id=str(getattr(entry.target, "pk", "")) if entry.target is not None else "",
                reason=entry.reason,
                data=json.loads(json.dumps(entry.data or {}, cls=DjangoJSONEncoder)),
                request_id=ctx.request_id,
                ip_address=ctx.ip_address,
                prev_hash=previous,
                key_id=key_id,
            )
            event.hash = previous = event_hash(event)
            events.append(event)
        bulk_insert(AuditEvent, events)
        AuditChainHead.objects.filter(id=1).update(seq=seq, hash=previous)
    return len(events)


def audit_action_checked(action: str) -> AuditAction:
    """The vocabulary member for `action`, or a loud ValueError naming the file to add it to."""
    try:
        return AuditAction(action)
    except ValueError:
        raise ValueError(
            f"{action!r} is not an audit action. Add it with its meaning to onward/core/audit_actions.py "
            "and pass AuditAction.<NAME>."
        ) from None


class _HashedFields(Protocol):
    """What event_hash reads: an AuditEvent, or a row of _events_in_order (no model built per event)."""

    seq: int
    at: datetime
    actor_id: int | None
    actor_role: str
    actor_system: str
    action: str
    person_id: int | None
    object_type: str
    object_id: str
    reason: str
    data: Any
    request_id: str
    ip_address: str | None
    prev_hash: str
    key_id: str


def event_hash(event: _HashedFields) -> str:
    """The keyed hash (HMAC-SHA256 under `event.key_id`) of an event's content and the hash before it.

    Any change to a stored field changes it, and nobody without the key (kept outside the database) can
    compute a new one. Events written before the chain was keyed have no key id and a plain SHA-256.
    Raises KeyError when the event's key is not in AUDIT_KEYS.
    """
    content = {
        "seq": event.seq,
        "at": _iso(event.at),
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        **({"actor_system": event.actor_system} if event.actor_system else {}),  # older events have none
        "action": event.action,
        "person": event.person_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "data": event.data,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
        **({"key_id": event.key_id} if event.key_id else {}),
    }
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    if event.key_id:
        return audit_mac(event.key_id, payload)
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: int
    problem: str


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain in order, then hold it against the signed checkpoints (AUDIT_CHECKPOINT_PATH).

    Returns how many events were checked and every break found: an event changed, removed or re-hashed
    without the key, an unkeyed event after keyed ones, an event whose key is not configured, a chain
    that differs from a checkpoint (rewritten), or one that ends before a checkpoint (cut short).
    A problem about a checkpoint has event id 0.
    """
    problems: list[ChainProblem] = []
    checkpoints, checkpoint_problems = checkpoints_read()
    expected_at: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        expected_at.setdefault(checkpoint.seq, []).append(checkpoint)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    keyed_seen = False
    for event in _events_in_order():
        checked += 1
        if event.seq != expected_seq:
            problems.append(ChainProblem(event.seq, event.id, f"missing events before seq {event.seq}"))
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, event.id, "does not follow the event before it"))
        if event.key_id:
            keyed_seen = True
        elif keyed_seen:
            problems.append(ChainProblem(event.seq, event.id, "has no key after keyed events (re-hashed)"))
        try:
            matches = event_hash(event) == event.hash
        except KeyError:
            problems.append(ChainProblem(event.seq, event.id, f"sealed with key {event.key_id!r}, not in AUDIT_KEYS"))
        else:
            if not matches:
                problems.append(ChainProblem(event.seq, event.id, "content does not match its hash (altered)"))
        for checkpoint in expected_at.pop(event.seq, []):
            if checkpoint.hash != event.hash:
                problems.append(
                    ChainProblem(event.seq, event.id, f"differs from the checkpoint of {checkpoint.at} (rewritten)")
                )
        expected_prev = event.hash
        expected_seq = event.seq + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.seq != expected_seq - 1:
        problems.append(ChainProblem(head.seq, 0, "events at the end of the chain are missing"))
    for seq, missing in sorted(expected_at.items()):
        if seq > 0:
            problems.append(
                ChainProblem(seq, 0, f"the checkpoint of {missing[0].at} saw event seq={seq}: gone (cut short)")
            )
    problems.extend(ChainProblem(0, 0, text) for text in checkpoint_problems)
    return checked, problems


_VERIFIED_FIELDS = (*_HashedFields.__annotations__, "id", "hash")


def _events_in_order() -> Iterator[Any]:
    """Every event as a named row of the fields event_hash reads (building a model per event was most of
    the walk's time), in chain order, a batch at a time."""
    last = 0
    while True:
        rows = AuditEvent.objects.filter(seq__gt=last).order_by("seq").values_list(*_VERIFIED_FIELDS, named=True)
        batch = list(rows[:VERIFY_BATCH_SIZE])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")
