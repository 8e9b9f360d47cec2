"""Every change to alerts: raise (by the app that noticed something), acknowledge, note, close, escalate.

`alert_raise` is how other apps raise an alert, inside their own transaction: the same `key` gives back
the alert already raised, so a retried job or a repeated request raises one alert. The staff actions
check the policy, move the alert only as `TRANSITIONS` allows, and write their audit event in the same
transaction. `alerts_escalate` is the scheduled job that hands unacknowledged high-severity alerts to the
senior practitioners of the person's unit once the configured working time has passed.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.alerts.models import (
    DEFAULT_SEVERITY,
    ESCALATABLE_STATES,
    NOTE_STATES,
    Alert,
    AlertKind,
    AlertNote,
    AlertState,
    Decision,
    Severity,
    transition_allowed,
)
from onward.alerts.working_time import working_deadline
from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.organisations.models import Role, StaffRole
from onward.people.models import AssignmentRole, Person, StaffAssignment
from onward.people.rules import acting_role

logger = logging.getLogger(__name__)

NOTE_MAX_CHARS = 2000
REASON_MAX_CHARS = 1000
# The scheduled job acts as the system, under its own name.
ESCALATION_ACTOR = SystemActor("alerts_escalate")
ESCALATION_BATCH = 200
# Whom an alert goes to, in this order: the first of these the person has is their worker.
RESPONSIBLE_ROLES = (AssignmentRole.PRACTITIONER, AssignmentRole.POM, AssignmentRole.KEY_WORKER)


@dataclass(frozen=True)
class AlertCause:
    """What caused an alert: a page in Onward, by URL name and arguments, and the words for its link."""

    url_name: str
    label: str
    args: list[Any] = field(default_factory=list)


def alert_raise(
    *,
    kind: str,
    person: Person,
    key: str,
    summary: str,
    cause: AlertCause | None = None,
    severity: str | None = None,
    assign_to: Any | None = None,
    actor: Any | None = None,
) -> Alert:
    """Raise an alert about a person in the caller's transaction; the same key again returns the first one.

    Raised on behalf of what happened (a missed check-in, a booking), so nothing is checked here: the
    caller's own service has checked its actor. `actor`, when given (a job's SystemActor, the member of
    staff whose action raised it), is who the audit trail records as raising it. Assigned to `assign_to`, else to the
    person's practitioner (or prison offender manager, or key worker) now, else to the person's unit.
    """
    if kind not in AlertKind.values:
        raise ValueError(f"Unknown alert kind {kind!r}")
    if severity is not None and severity not in Severity.values:
        raise ValueError(f"Unknown severity {severity!r}")
    if not key or len(key) > Alert._meta.get_field("key").max_length:  # type: ignore[operator]
        raise ValueError("An alert needs a key of at most 150 characters that names its cause.")
    if cause is not None:
        reverse(cause.url_name, args=cause.args)  # a cause that links nowhere is a programming error
    existing = Alert.objects.filter(key=key).first()
    if existing is not None:
        return existing
    staff = assign_to if assign_to is not None else responsible_staff(person)
    alert = Alert(
        kind=kind,
        severity=severity or DEFAULT_SEVERITY[kind],
        person=person,
        summary=summary[:300],
        cause_url_name=cause.url_name if cause else "",
        cause_args=list(cause.args) if cause else [],
        cause_label=cause.label[:200] if cause else "",
        key=key,
        assigned_to=staff,
        assigned_unit=None if staff is not None else person.unit,
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        # Another transaction raised the same alert between our look-up and our insert.
        return Alert.objects.get(key=key)
    audit_record(
        actor=actor,
        action=AuditAction.ALERT_RAISED,
        person=person,
        target=alert,
        data={
            "kind": alert.kind,
            "severity": alert.severity,
            "assigned_to": alert.assigned_to_id,
            "assigned_unit": alert.assigned_unit_id,
            "key": key,
        },
    )
    return alert


def responsible_staff(person: Person) -> Any | None:
    """The person's worker now: their practitioner, else prison offender manager, else key worker."""
    assigned = list(
        StaffAssignment.objects.filter(person=person, role__in=RESPONSIBLE_ROLES, ended_at__isnull=True)
        .select_related("staff")
        .order_by("started_at", "pk")
    )
    if not assigned:
        return None
    return min(assigned, key=lambda a: RESPONSIBLE_ROLES.index(AssignmentRole(a.role))).staff


def alert_acknowledge(*, actor: Any, alert: Alert) -> Alert:
    """Say "I have seen this and I am dealing with it". Acknowledging twice changes nothing."""
    require(actor, "alert.act", alert)
    with transaction.atomic():
        locked = _locked(alert)
        if locked.state == AlertState.ACKNOWLEDGED:
            return locked
        _move(locked, AlertState.ACKNOWLEDGED)
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=actor,
            role=_role(actor, locked),
            action=AuditAction.ALERT_ACKNOWLEDGED,
            person=locked.person,
            target=locked,
            data={"kind": locked.kind, "severity": locked.severity},
        )
    return locked


def alert_note_add(*, actor: Any, alert: Alert, text: str) -> AlertNote:
    """Add a note to an alert that is not closed yet."""
    require(actor, "alert.act", alert)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a note."))
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(_("A note must be %(max)s characters or fewer.") % {"max": NOTE_MAX_CHARS})
    with transaction.atomic():
        locked = _locked(alert)
        if locked.state not in NOTE_STATES:
            raise ValidationError(_("This alert is closed. You cannot add notes to it."))
        note = AlertNote.objects.create(alert=locked, author=actor, text=text)
        audit_record(
            actor=actor,
            role=_role(actor, locked),
            action=AuditAction.ALERT_NOTED,
            person=locked.person,
            target=locked,
            data={"note": note.pk, "text": text},
        )
    return note


def alert_close(*, actor: Any, alert: Alert, decision: str, reason: str) -> Alert:
    """Close an alert with the decision made and the reason for it."""
    require(actor, "alert.act", alert)
    reason = reason.strip()
    errors = []
    if decision not in Decision.values:
        errors.append(ValidationError(_("Choose a decision."), code="decision"))
    if not reason:
        errors.append(ValidationError(_("Give a reason for your decision."), code="reason"))
    elif len(reason) > REASON_MAX_CHARS:
        errors.append(ValidationError(_("The reason must be %(max)s characters or fewer.") % {"max": REASON_MAX_CHARS}))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(alert)
        before = locked.state
        _move(locked, AlertState.CLOSED)  # a reason is required for it (REASON_REQUIRED), checked above
        locked.decision = decision
        locked.reason = reason
        locked.closed_by = actor
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "decision", "reason", "closed_by", "closed_at"])
        audit_record(
            actor=actor,
            role=_role(actor, locked),
            action=AuditAction.ALERT_CLOSED,
            person=locked.person,
            target=locked,
            reason=reason,
            data={"decision": decision, "from": before, "kind": locked.kind},
        )
    return locked


def alerts_escalate(now: datetime | None = None) -> dict[str, int]:
    """The scheduled job: every open high-severity alert past its working-time limit goes to the seniors.

    Each alert is escalated once, even with two schedulers running: the one whose update marks it wins.
    """
    at = now or timezone.now()
    minutes = settings.ALERT_ESCALATION_WORKING_MINUTES
    # Working time never runs faster than the clock, so nothing newer than this can be due yet.
    candidates = Alert.objects.filter(
        state__in=sorted(ESCALATABLE_STATES),
        severity=Severity.HIGH,
        escalated_at__isnull=True,
        created_at__lte=at - timedelta(minutes=minutes),
    ).values_list("pk", "created_at")
    due = [pk for pk, created_at in candidates if working_deadline(created_at, minutes) <= at]
    escalated = 0
    seniors_by_unit: dict[int, list[Any]] = {}
    # A batch of alerts per transaction: far fewer commits when many fall due at once (after a holiday).
    for start in range(0, len(due), ESCALATION_BATCH):
        with transaction.atomic():
            for alert_id in due[start : start + ESCALATION_BATCH]:
                escalated += _escalate(alert_id, at, seniors_by_unit)
    return {"escalated": escalated}


def seniors_for(person: Person) -> list[Any]:
    """The senior practitioners of the person's unit: those at the nearest unit up the tree that has any."""
    ids = [int(part) for part in person.unit.path.strip("/").split("/") if part]
    held = list(
        StaffRole.objects.filter(role=Role.SENIOR, unit_id__in=ids, user__is_active=True).select_related("user")
    )
    for unit_id in reversed(ids):
        found = [r.user for r in held if r.unit_id == unit_id]
        if found:
            return sorted(found, key=lambda user: user.pk)
    return []


# --- helpers ---------------------------------------------------------------------------------


def _escalate(alert_id: int, at: datetime, seniors_by_unit: dict[int, list[Any]]) -> bool:
    """Escalate one alert in the caller's transaction, unless another run got there first."""
    moved = Alert.objects.filter(pk=alert_id, state__in=sorted(ESCALATABLE_STATES), escalated_at__isnull=True).update(
        escalated_at=at
    )
    if not moved:
        return False
    alert = Alert.objects.select_related("person__unit").get(pk=alert_id)
    unit_id = alert.person.unit_id
    if unit_id not in seniors_by_unit:
        seniors_by_unit[unit_id] = seniors_for(alert.person)
    seniors = seniors_by_unit[unit_id]
    alert.escalated_to.add(*seniors)
    audit_record(
        actor=ESCALATION_ACTOR,
        action=AuditAction.ALERT_ESCALATED,
        person=alert.person,
        target=alert,
        data={
            "to": [user.pk for user in seniors],
            "working_minutes": settings.ALERT_ESCALATION_WORKING_MINUTES,
            "raised_at": alert.created_at,
        },
    )
    if not seniors:
        logger.warning("Alert %s escalated with no senior practitioner above unit %s", alert_id, unit_id)
    return True


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update(of=("self",)).select_related("person__unit").get(pk=alert.pk)


def _move(alert: Alert, target: str) -> None:
    if not transition_allowed(alert.state, target):
        raise ValidationError(
            _("This alert is already %(state)s.") % {"state": alert.get_state_display().lower()}, code="state"
        )
    alert.state = target


def _role(actor: Any, alert: Alert) -> str:
    role = acting_role(actor, alert.person)
    if not role and alert.escalated_to.filter(pk=actor.pk).exists():
        return str(Role.SENIOR)
    return role or ("assigned" if alert.assigned_to_id == actor.pk else "")
