"""Changes to a person's record. Each checks permission, writes its audit event and its side effects."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.events import announce
from onward.core.permissions import require
from onward.core.subject_access import subject_access_sections
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.events import LicenceIssued, PersonReleased, SupervisionEnded
from onward.people.models import (
    RELEASE_STATUSES,
    AssignmentRole,
    ConditionKind,
    ConditionType,
    LicenceCondition,
    LicenceVersion,
    Person,
    StaffAssignment,
    Status,
)
from onward.people.rules import acting_role

CUSTODY_ASSIGNMENTS = (AssignmentRole.KEY_WORKER, AssignmentRole.POM)


@dataclass(frozen=True)
class ReleaseDetails:
    release_date: date
    status: str
    supervising_unit: OrgUnit
    address: str
    practitioner: Any | None = None


def person_release(*, actor: Any, person: Person, details: ReleaseDetails, reason: str = "") -> Person:
    """Move a person from custody to the community, on the same record and the same account.

    Custody assignments end; the probation practitioner (if named) is assigned; `PersonReleased` tells the
    apps above (notifications tells the practitioner).
    """
    require(actor, "person.release", person)
    if details.status not in RELEASE_STATUSES:
        raise ValidationError(_("Choose home detention curfew or licence."))
    if details.supervising_unit.kind not in (UnitKind.PDU, UnitKind.OFFICE):
        raise ValidationError(_("Choose the probation delivery unit or office that will supervise them."))
    if not details.address.strip():
        raise ValidationError(_("Enter the address they are released to."))
    role = acting_role(actor, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not locked.in_custody:
            raise ValidationError(_("This person has already been released."))
        before = {"status": locked.status, "unit": locked.unit_id}
        now = timezone.now()
        StaffAssignment.objects.filter(person=locked, role__in=CUSTODY_ASSIGNMENTS, ended_at__isnull=True).update(
            ended_at=now
        )
        if details.practitioner is not None:
            person_assign(
                actor=actor, person=locked, staff=details.practitioner, role=AssignmentRole.PRACTITIONER, check=False
            )
        locked.status = details.status
        locked.unit = details.supervising_unit
        locked.address = details.address.strip()
        locked.release_date = details.release_date
        locked.save()
        audit_record(
            actor=actor,
            role=role,
            action=AuditAction.PERSON_RELEASED,
            person=locked,
            target=locked,
            reason=reason,
            data={"before": before, "after": {"status": locked.status, "unit": locked.unit_id}},
        )
        announce(
            PersonReleased(
                person=locked, actor=actor, release_date=details.release_date, practitioner=details.practitioner
            )
        )
    return locked


def person_assign(*, actor: Any, person: Person, staff: Any, role: str, check: bool = True) -> StaffAssignment:
    """Give a person a key worker, prison offender manager or probation practitioner, ending the last one."""
    if check:
        require(actor, "person.release", person)
    with transaction.atomic():
        StaffAssignment.objects.filter(person=person, role=role, ended_at__isnull=True).update(ended_at=timezone.now())
        assignment = StaffAssignment.objects.create(person=person, staff=staff, role=role)
        audit_record(
            actor=actor,
            role=acting_role(actor, person) if check else "",
            action=AuditAction.PERSON_ASSIGNED,
            person=person,
            target=assignment,
            data={"role": role, "staff": staff.pk},
        )
    return assignment


@dataclass(frozen=True)
class ConditionChoice:
    """One condition for a new licence version: from the catalogue (code), or in staff's own words (text)."""

    code: str = ""
    details: str = ""  # for a catalogue condition that needs them: a place, a name, hours
    text: str = ""  # own words: what the condition says
    explanation: str = ""  # own words: what it means, in plain words


LICENCE_DETAILS_MAX_CHARS = 300
LICENCE_TEXT_MAX_CHARS = 500
LICENCE_EXPLANATION_MAX_CHARS = 1000


def licence_version_issue(*, actor: Any, person: Person, conditions: list[ConditionChoice]) -> LicenceVersion:
    """A new version of the licence conditions, copied from the catalogue. The person is told and must confirm it."""
    require(actor, "licence.issue", person)
    types = {t.code: t for t in ConditionType.objects.filter(code__in={c.code for c in conditions if c.code})}
    rows = [licence_condition_build(choice, types) for choice in conditions]
    if not rows:
        raise ValidationError(_("Choose at least one condition."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        last = locked.licence_versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = LicenceVersion.objects.create(person=locked, number=last + 1, issued_by=actor)
        for position, row in enumerate(rows):
            row.version = version
            row.position = position
        LicenceCondition.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.LICENCE_ISSUED,
            person=person,
            target=version,
            data={
                "number": version.number,
                "conditions": [row.condition_type.code if row.condition_type else "own words" for row in rows],
            },
        )
        announce(LicenceIssued(person=person, actor=actor, version=version))
    return version


def licence_condition_build(choice: ConditionChoice, types: dict[str, ConditionType]) -> LicenceCondition:
    """The stored copy of one chosen condition, or a ValidationError that says what to fix."""
    details = choice.details.strip()
    if len(details) > LICENCE_DETAILS_MAX_CHARS:
        raise ValidationError(_("Details must be %(n)s characters or fewer.") % {"n": LICENCE_DETAILS_MAX_CHARS})
    if choice.code:
        kind = types.get(choice.code)
        if kind is None or not kind.active:
            raise ValidationError(_("That condition is not in the list. Choose one from the list."))
        if kind.details_label and not details:
            raise ValidationError(
                _("Add the details for “%(condition)s”: %(what)s.")
                % {"condition": kind.wording, "what": kind.details_label}
            )
        return LicenceCondition(
            kind=kind.kind,
            condition_type=kind,
            details=details,
            text=kind.wording.replace("{details}", details),
            text_cy=kind.wording_cy.replace("{details}", details),
            explanation=kind.explanation,
            explanation_cy=kind.explanation_cy,
        )
    text, explanation = choice.text.strip(), choice.explanation.strip()
    if not text or not explanation:
        raise ValidationError(_("For a condition in your own words, write the condition and what it means."))
    if len(text) > LICENCE_TEXT_MAX_CHARS or len(explanation) > LICENCE_EXPLANATION_MAX_CHARS:
        raise ValidationError(
            _("Keep a condition under %(text)s characters and its meaning under %(meaning)s.")
            % {"text": LICENCE_TEXT_MAX_CHARS, "meaning": LICENCE_EXPLANATION_MAX_CHARS}
        )
    return LicenceCondition(kind=ConditionKind.ADDITIONAL, text=text, explanation=explanation)


def licence_confirm(*, actor: Any, version: LicenceVersion) -> LicenceVersion:
    """The person confirms they have read this version of their licence conditions."""
    require(actor, "person.self", version.person)
    with transaction.atomic():
        if version.confirmed_at is None:
            version.confirmed_at = timezone.now()
            version.save(update_fields=["confirmed_at"])
            audit_record(
                actor=actor,
                role="person",
                action=AuditAction.LICENCE_CONFIRMED,
                person=version.person,
                target=version,
                data={"number": version.number},
            )
    return version


def person_supervision_end(*, actor: Any, person: Person, reason: str) -> Person:
    """Supervision is over: the record stays (for the retention period), their biometric data goes now.

    Assignments end here; the apps above react to `SupervisionEnded` in the same transaction: accounts
    ends every device token and web session, notifications stops push, check-ins delete the face
    template and reference photo and cancel what is still open.
    """
    require(actor, "person.end_supervision", person)
    if not reason.strip():
        raise ValidationError(_("Give a reason for ending supervision."))
    role = acting_role(actor, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        before = locked.status
        locked.status = Status.ENDED
        locked.save(update_fields=["status", "updated_at"])
        now = timezone.now()
        StaffAssignment.objects.filter(person=locked, ended_at__isnull=True).update(ended_at=now)
        audit_record(
            actor=actor,
            role=role,
            action=AuditAction.PERSON_SUPERVISION_ENDED,
            person=locked,
            target=locked,
            reason=reason,
            data={"before": before},
        )
        announce(SupervisionEnded(person=locked, actor=actor, reason=reason))
    return locked


def subject_access_export(*, actor: Any, person: Person) -> bytes:
    """Everything held about a person, from every app, as a ZIP: data.json, the files, and a README.

    For a subject access request. The export is audited with the sections and file count; the data
    itself is not copied into the audit trail.
    """
    require(actor, "person.subject_access", person)
    generated_at = timezone.now()
    sections = {name: function(person) for name, function in subject_access_sections().items()}
    data = {
        "person": person.reference,
        "generated_at": generated_at,
        "sections": {name: section.data for name, section in sections.items()},
    }
    buffer = io.BytesIO()
    files_added = 0
    missing: list[str] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for section in sections.values():
            for stored, exported in section.files:
                try:
                    with default_storage.open(stored, "rb") as handle:
                        archive.writestr(f"files/{exported}", handle.read())
                    files_added += 1
                except FileNotFoundError:
                    missing.append(exported)
        archive.writestr("README.txt", _subject_access_readme(person, generated_at, missing))
    audit_record(
        actor=actor,
        role="administrator",
        action=AuditAction.PERSON_SUBJECT_ACCESS_EXPORTED,
        person=person,
        target=person,
        data={"sections": sorted(sections), "files": files_added, "files_missing": len(missing)},
    )
    return buffer.getvalue()


def _subject_access_readme(person: Person, generated_at: Any, missing: list[str]) -> str:
    lines = [
        f"Everything Onward holds about {person.reference}, made on {generated_at.isoformat()}.",
        "",
        "data.json has one section per part of Onward (record, account, check-ins, messages, ...).",
        "files/ has the photos, clips and attachments still held.",
        "Not included: passwords, PINs and codes (only their dates), the face template's numbers",
        "(only whether one is held), and security staff's screening notes on messages.",
    ]
    if missing:
        lines += ["", "These files were listed but could not be read: " + ", ".join(missing)]
    return "\n".join(lines) + "\n"
