"""Every change to a resettlement plan: an assessment, a need's status or owner, actions and to-dos.

Each checks the policy itself, runs in one transaction, writes the plan's history (`PlanEvent`, what
people read) and the audit event (the evidence) together. Nothing is written when nothing changes.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.accounts.actors import PersonUser, StaffUser
from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.people.models import Person
from onward.people.rules import acting_role
from onward.resettlement.applications import APPLICATION_KINDS_BY_CODE
from onward.resettlement.models import (
    APPLICATION_REASON_REQUIRED,
    APPLICATION_STATUS_DATES,
    NOTE_REQUIRED,
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentKind,
    Need,
    NeedStatus,
    PlanAction,
    PlanEvent,
    PlanEventKind,
    application_transition_allowed,
    need_transition_allowed,
)
from onward.resettlement.needs import NEEDS_BY_CODE, Owner

ACTION_TEXT_MAX_CHARS = 300
NOTE_MAX_CHARS = 2000
REFERENCE_MAX_CHARS = 100


def assessment_record(
    *, actor: StaffUser, person: Person, kind: str, need_codes: list[str], notes: str = ""
) -> Assessment:
    """A new version of the assessment. Needs it finds that the plan lacks are added, not started;
    needs already in the plan keep their status (a declined need found again is opened again)."""
    require(actor, "resettlement.manage", person)
    if kind not in AssessmentKind.values:
        raise ValidationError(_("Choose which assessment this is."))
    unknown = [code for code in need_codes if code not in NEEDS_BY_CODE]
    if unknown:
        raise ValidationError(_("These are not needs Onward knows: %(codes)s") % {"codes": ", ".join(unknown)})
    codes = list(dict.fromkeys(need_codes))
    role = acting_role(actor, person)
    now = timezone.now()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one assessment number at a time
        number = (Assessment.objects.filter(person=person).aggregate(top=Max("number"))["top"] or 0) + 1
        assessment = Assessment.objects.create(
            person=person,
            number=number,
            kind=kind,
            need_codes=codes,
            notes=notes.strip()[:NOTE_MAX_CHARS],
            assessed_by=actor,
            assessed_at=now,
            unit=person.unit,
        )
        existing = {need.code: need for need in Need.objects.filter(person=person, code__in=codes)}
        added = [
            Need(
                person=person,
                code=code,
                pathway=NEEDS_BY_CODE[code].pathway,
                owner=NEEDS_BY_CODE[code].owner,
                found_in=assessment,
                created_at=now,
                updated_at=now,
            )
            for code in codes
            if code not in existing
        ]
        Need.objects.bulk_create(added)
        added = list(Need.objects.filter(person=person, code__in=[need.code for need in added]))
        events = [
            PlanEvent(person=person, kind=PlanEventKind.ASSESSED, actor=actor, at=now, data=_assessed(assessment))
        ]
        events += [
            PlanEvent(
                person=person, kind=PlanEventKind.NEED_ADDED, need=need, actor=actor, at=now, data={"code": need.code}
            )
            for need in added
        ]
        reopened = [need for need in existing.values() if need.status == NeedStatus.DECLINED]
        events += [_status_set(need, NeedStatus.NOT_STARTED, actor, now) for need in reopened]
        Need.objects.bulk_update(reopened, ["status", "updated_at"])
        PlanEvent.objects.bulk_create(events)
        audit_record(
            actor=actor,
            role=role,
            action=AuditAction.RESETTLEMENT_ASSESSED,
            person=person,
            target=assessment,
            data={"number": number, "kind": kind, "needs": codes, "added": [n.code for n in added]},
        )
    return assessment


def need_status_change(*, actor: StaffUser | PersonUser, need: Need, status: str, note: str = "") -> Need:
    """Move a need along `NEED_TRANSITIONS`. Staff move any need; a person may decline or re-open their own."""
    _require_change(actor, need.person, person_may=status in (NeedStatus.DECLINED, NeedStatus.NOT_STARTED))
    note = note.strip()[:NOTE_MAX_CHARS]
    if status not in NeedStatus.values:
        raise ValidationError(_("Choose a status."))
    if status in NOTE_REQUIRED and not note:
        raise ValidationError(_("Say why this is not wanted."))
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.status == status:
            return locked
        if not need_transition_allowed(locked.status, status):
            raise ValidationError(
                _("This cannot go from %(from)s to %(to)s.")
                % {"from": locked.get_status_display().lower(), "to": NeedStatus(status).label.lower()}
            )
        before = locked.status
        now = timezone.now()
        _status_set(locked, status, actor, now, note=note).save()
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.RESETTLEMENT_NEED_CHANGED,
            person=locked.person,
            target=locked,
            reason=note,
            data={"code": locked.code, "status": {"from": before, "to": status}},
        )
    return locked


def need_owner_change(*, actor: StaffUser, need: Need, owner: str) -> Need:
    require(actor, "resettlement.manage", need.person)
    if owner not in Owner.values:
        raise ValidationError(_("Choose who owns this."))
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.owner == owner:
            return locked
        before, now = locked.owner, timezone.now()
        locked.owner, locked.updated_at = owner, now
        locked.save(update_fields=["owner", "updated_at"])
        PlanEvent.objects.create(
            person=locked.person,
            kind=PlanEventKind.NEED_OWNER,
            need=locked,
            actor=actor,
            at=now,
            data={"from": before, "to": owner},
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.RESETTLEMENT_NEED_CHANGED,
            person=locked.person,
            target=locked,
            data={"code": locked.code, "owner": {"from": before, "to": owner}},
        )
    return locked


def action_add(
    *,
    actor: StaffUser | PersonUser,
    person: Person,
    text: str,
    need: Need | None = None,
    owner: str = "",
    due_on: date | None = None,
) -> PlanAction:
    """An action for a need (staff), or a to-do of the person's own (the person, or staff for them)."""
    is_person = getattr(actor, "kind", None) == UserKind.PERSON
    _require_change(actor, person, person_may=need is None)
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Write what needs doing."))
    if len(text) > ACTION_TEXT_MAX_CHARS:
        raise ValidationError(_("Keep it to %(max)s characters or fewer.") % {"max": ACTION_TEXT_MAX_CHARS})
    if need is not None and need.person_id != person.pk:
        raise ValidationError("The need is not this person's.")
    owner = Owner.PERSON if is_person else (owner or (need.owner if need else Owner.PERSON))
    if owner not in Owner.values:
        raise ValidationError(_("Choose who will do this."))
    if is_person and due_on is not None and due_on < timezone.localdate():
        raise ValidationError(_("The date must be today or later."))
    now = timezone.now()
    with transaction.atomic():
        action = PlanAction.objects.create(
            person=person, need=need, text=text, owner=owner, due_on=due_on, created_by=actor, created_at=now
        )
        PlanEvent.objects.create(
            person=person,
            kind=PlanEventKind.ACTION_ADDED,
            need=need,
            action=action,
            actor=actor,
            at=now,
            data={"owner": owner, "due_on": due_on.isoformat() if due_on else None},
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.RESETTLEMENT_ACTION_ADDED,
            person=person,
            target=action,
            data={"need": need.code if need else None, "owner": owner, "due_on": due_on},
        )
    return action


def action_mark(*, actor: StaffUser | PersonUser, action: PlanAction, done: bool) -> PlanAction:
    """Tick an action off, or untick it. A person ticks only the actions that are theirs to do."""
    _require_change(actor, action.person, person_may=action.owner == Owner.PERSON)
    with transaction.atomic():
        locked = PlanAction.objects.select_for_update().select_related("person").get(pk=action.pk)
        if (locked.done_at is not None) == done:
            return locked  # a second tap changes nothing
        now = timezone.now()
        locked.done_at, locked.done_by = (now, actor) if done else (None, None)
        locked.save(update_fields=["done_at", "done_by"])
        kind = PlanEventKind.ACTION_DONE if done else PlanEventKind.ACTION_REOPENED
        PlanEvent.objects.create(
            person=locked.person, kind=kind, need_id=locked.need_id, action=locked, actor=actor, at=now
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.RESETTLEMENT_ACTION_DONE if done else AuditAction.RESETTLEMENT_ACTION_REOPENED,
            person=locked.person,
            target=locked,
        )
    return locked


# --- helpers ---------------------------------------------------------------------------------


def _require_change(actor: Any, person: Person, *, person_may: bool) -> None:
    if getattr(actor, "kind", None) == UserKind.PERSON:
        require(actor, "resettlement.self", person)
        if not person_may:
            raise ValidationError(_("Only staff can change this."))
    else:
        require(actor, "resettlement.manage", person)


def _status_set(need: Need, status: str, actor: Any, now: Any, *, note: str = "") -> PlanEvent:
    """Set the status on the (locked) need and give the history event for it; the caller saves both."""
    event = PlanEvent(
        person_id=need.person_id,
        kind=PlanEventKind.NEED_STATUS,
        need=need,
        actor=actor,
        at=now,
        note=note,
        data={"from": need.status, "to": status},
    )
    need.status, need.updated_at = status, now
    return event


def _assessed(assessment: Assessment) -> dict[str, Any]:
    return {"number": assessment.number, "kind": assessment.kind, "needs": assessment.need_codes}


# --- ID and bank account applications ----------------------------------------------------------


def application_start(
    *, actor: StaffUser, person: Person, kind: str, owner: str = "", reference: str = ""
) -> Application:
    """Start tracking an application. It joins the plan's need it answers (when the plan has it), and
    the need's history says so."""
    require(actor, "resettlement.manage", person)
    info = APPLICATION_KINDS_BY_CODE.get(kind)
    if info is None:
        raise ValidationError(_("Choose what the application is for."))
    owner = owner or Owner.PRISON
    if owner not in Owner.values:
        raise ValidationError(_("Choose who is doing this."))
    reference = reference.strip()[:REFERENCE_MAX_CHARS]
    now = timezone.now()
    with transaction.atomic():
        need = Need.objects.filter(person=person, code=info.need_code).first()
        application = Application.objects.create(
            person=person,
            kind=kind,
            owner=owner,
            need=need,
            reference=reference,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        PlanEvent.objects.create(
            person=person,
            kind=PlanEventKind.APPLICATION_ADDED,
            need=need,
            actor=actor,
            at=now,
            data={"application": application.pk, "kind": kind, "owner": owner},
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.APPLICATION_STARTED,
            person=person,
            target=application,
            data={"kind": kind, "owner": owner, "need": need.code if need else None},
        )
    return application


def application_status_change(
    *, actor: StaffUser, application: Application, status: str, reason: str = "", reference: str | None = None
) -> Application:
    """Move an application along `APPLICATION_TRANSITIONS`, keeping the date of each step. Refused or
    stopped needs a reason. The need it answers gets a history entry (the person reads it in their plan)."""
    require(actor, "resettlement.manage", application.person)
    reason = reason.strip()[:NOTE_MAX_CHARS]
    if status not in ApplicationStatus.values:
        raise ValidationError(_("Choose a status."))
    if status in APPLICATION_REASON_REQUIRED and not reason:
        raise ValidationError(_("Say why the application was refused or stopped."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
        if locked.status == status:
            return locked
        if not application_transition_allowed(locked.status, status):
            raise ValidationError(
                _("This application cannot go from %(from)s to %(to)s.")
                % {"from": locked.get_status_display().lower(), "to": ApplicationStatus(status).label.lower()}
            )
        before, now = locked.status, timezone.now()
        changed = ["status", "updated_at"]
        locked.status, locked.updated_at = status, now
        if status in APPLICATION_STATUS_DATES:
            setattr(locked, APPLICATION_STATUS_DATES[status], now)
            changed.append(APPLICATION_STATUS_DATES[status])
        if status in APPLICATION_REASON_REQUIRED:
            locked.reason = reason
            changed.append("reason")
        if reference is not None and reference.strip() != locked.reference:
            locked.reference = reference.strip()[:REFERENCE_MAX_CHARS]
            changed.append("reference")
        locked.save(update_fields=changed)
        PlanEvent.objects.create(
            person=locked.person,
            kind=PlanEventKind.APPLICATION_STATUS,
            need_id=locked.need_id,
            actor=actor,
            at=now,
            note=reason,
            data={"application": locked.pk, "kind": locked.kind, "from": before, "to": status},
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.APPLICATION_CHANGED,
            person=locked.person,
            target=locked,
            reason=reason,
            data={"kind": locked.kind, "status": {"from": before, "to": status}},
        )
    return locked
