"""Changes to a person's record. Each checks permission, writes its audit event and its side effects."""

import io
import json
import secrets
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.events import announce
from onward.core.permissions import require
from onward.core.subject_access import subject_access_sections
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.people.events import (
    ContactCodeIssued,
    LicenceIssued,
    PersonContactChanged,
    PersonReleased,
    PersonTransferred,
    ReleaseHandover,
    SupervisionEnded,
)
from onward.people.models import (
    COMMUNITY_STATUSES,
    CUSTODY_STATUSES,
    RELEASE_STATUSES,
    AssignmentRole,
    ConditionKind,
    ConditionType,
    ContactChannel,
    ContactCode,
    LicenceCondition,
    LicenceVersion,
    Person,
    StaffAssignment,
    Status,
)
from onward.people.rules import acting_role
from onward.people.validation import DERIVED_FIELDS, PERSON_FIELDS, FieldError, person_fields_clean

CUSTODY_ASSIGNMENTS = (AssignmentRole.KEY_WORKER, AssignmentRole.POM)


@dataclass(frozen=True)
class ReleaseDetails:
    release_date: date
    status: str
    supervising_unit: OrgUnit
    address: str = ""  # the whole address as one text, for callers without its parts (no position found)
    practitioner: Any | None = None
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    # How staff checked the phone and email are the person's: CONTACT_CHECK_CODE (the code sent to them,
    # read back), CONTACT_CHECK_IN_PERSON, or "" (not checked: they stay unverified and unused).
    contact_check: str = ""
    phone_code: str = ""
    email_code: str = ""
    activation_letter: bool = False


CONTACT_CHECK_CODE = "code"
CONTACT_CHECK_IN_PERSON = "in_person"
CONTACT_CHECKS = ("", CONTACT_CHECK_CODE, CONTACT_CHECK_IN_PERSON)


@dataclass(frozen=True)
class ReleaseResult:
    person: Person
    practitioner: Any | None
    activation_code: str  # "" unless a letter was asked for; shown once, never stored in clear
    phone_verified: bool
    email_verified: bool


def person_release(*, actor: Any, person: Person, details: ReleaseDetails, reason: str = "") -> Person:
    """Move a person from custody to the community, on the same record and the same account.

    See `person_release_full`, which also says what staff must see afterwards (the activation code).
    """
    return person_release_full(actor=actor, person=person, details=details, reason=reason).person


def person_release_full(*, actor: Any, person: Person, details: ReleaseDetails, reason: str = "") -> ReleaseResult:
    """Move a person from custody to the community, on the same record and the same account.

    Custody assignments end; the probation practitioner (if named) is assigned; the address is placed
    from its postcode; the community phone and email are stored, verified when staff checked them (a
    code read back, or in person); `PersonReleased` tells the apps above (notifications tells the
    practitioner; accounts issues the activation code when a printed letter is asked for).
    """
    require(actor, "person.release", person)
    if details.status not in RELEASE_STATUSES:
        raise ValidationError(_("Choose home detention curfew or licence."))
    if details.supervising_unit.kind not in (UnitKind.PDU, UnitKind.OFFICE):
        raise ValidationError(_("Choose the probation delivery unit or office that will supervise them."))
    if details.contact_check not in CONTACT_CHECKS:
        raise ValidationError(_("Say how you checked the phone number or email."))
    raw: dict[str, Any] = {"phone": details.phone, "email": details.email}
    if details.postcode or details.address_line_1:
        raw.update(
            address_line_1=details.address_line_1,
            address_line_2=details.address_line_2,
            town=details.town,
            postcode=details.postcode,
        )
    elif not details.address.strip():
        raise ValidationError(_("Enter the address they are released to."))
    check = person_fields_clean(raw, current=person)
    if not check.ok:
        raise PersonDetailsInvalid(check.errors)
    role = acting_role(actor, person)
    now = timezone.now()
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not locked.in_custody:
            raise ValidationError(_("This person has already been released."))
        before = {"status": locked.status, "unit": locked.unit_id}
        verified = _release_contacts_verified(locked, details, check.values, now)
        StaffAssignment.objects.filter(person=locked, role__in=CUSTODY_ASSIGNMENTS, ended_at__isnull=True).update(
            ended_at=now
        )
        if details.practitioner is not None:
            person_assign(
                actor=actor, person=locked, staff=details.practitioner, role=AssignmentRole.PRACTITIONER, check=False
            )
        locked.status = details.status
        locked.unit = details.supervising_unit
        if "postcode" in raw:
            for name in ("address_line_1", "address_line_2", "town", "postcode", *DERIVED_FIELDS):
                setattr(locked, name, check.values[name])
        else:
            locked.address = details.address.strip()
        for channel, name in ((ContactChannel.SMS, "phone"), (ContactChannel.EMAIL, "email")):
            if check.values[name] != getattr(locked, name):
                setattr(locked, name, check.values[name])
                setattr(locked, f"{name}_verified_at", None)
            if verified[channel]:
                setattr(locked, f"{name}_verified_at", now)
        locked.release_date = details.release_date
        locked.save()
        audit_record(
            actor=actor,
            role=role,
            action=AuditAction.PERSON_RELEASED,
            person=locked,
            target=locked,
            reason=reason,
            data={
                "before": before,
                "after": {"status": locked.status, "unit": locked.unit_id},
                "contact_check": details.contact_check or "none",
                "phone_verified": locked.phone_verified,
                "email_verified": locked.email_verified,
                "activation_letter": details.activation_letter,
            },
        )
        handover = ReleaseHandover(activation_letter=details.activation_letter)
        announce(
            PersonReleased(
                person=locked,
                actor=actor,
                release_date=details.release_date,
                practitioner=details.practitioner,
                handover=handover,
            )
        )
    return ReleaseResult(
        person=locked,
        practitioner=details.practitioner,
        activation_code=handover.activation_code,
        phone_verified=locked.phone_verified,
        email_verified=locked.email_verified,
    )


def _release_contacts_verified(
    person: Person, details: ReleaseDetails, values: Mapping[str, Any], now: Any
) -> dict[str, bool]:
    """Which of the new phone and email count as checked. A wrong code stops the release, with the field."""
    verified: dict[str, bool] = {ContactChannel.SMS: False, ContactChannel.EMAIL: False}
    if details.contact_check and not values["phone"] and not values["email"]:
        raise PersonDetailsInvalid([FieldError("phone", _("Enter the mobile phone number or email you checked."))])
    for channel, name, code in (
        (ContactChannel.SMS, "phone", details.phone_code),
        (ContactChannel.EMAIL, "email", details.email_code),
    ):
        address = values[name]
        if not address:
            continue
        if details.contact_check == CONTACT_CHECK_IN_PERSON:
            verified[channel] = True
        elif details.contact_check == CONTACT_CHECK_CODE and code.strip():
            if not _contact_code_matches(person, channel, address, code, now):
                raise PersonDetailsInvalid([FieldError(f"{name}_code", _("That code is not right or has run out."))])
            verified[channel] = True
        elif address == getattr(person, name) and getattr(person, f"{name}_verified_at") is not None:
            verified[channel] = True  # unchanged and already checked
    if details.contact_check == CONTACT_CHECK_CODE and not any(verified.values()):
        raise PersonDetailsInvalid(
            [FieldError("phone_code", _("Enter the code sent to their phone or email, or choose another way."))]
        )
    return verified


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
    details_cy: str = ""  # the same details in Welsh, where they were written from data (curfew hours)
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
            text_cy=kind.wording_cy.replace(
                "{details}", choice.details_cy.strip()[:LICENCE_DETAILS_MAX_CHARS] or details
            ),
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


# --- Creating and editing a person ------------------------------------------------------------


class PersonDetailsInvalid(ValidationError):
    """Details that did not pass `person_fields_clean`: each field with what to fix, in plain words."""

    def __init__(self, errors: list[FieldError]) -> None:
        messages: dict[str, list[str]] = {}
        for error in errors:
            messages.setdefault(error.field, []).append(error.message)
        super().__init__(messages)
        self.field_errors = errors


@dataclass(frozen=True)
class PersonChange:
    person: Person
    changed: list[str] = field(default_factory=list)
    transferred: bool = False


def person_create(*, actor: Any, fields: Mapping[str, Any]) -> Person:
    """A new person's record from plain values (see onward.people.validation), in a unit the actor covers.

    Their phone and email are not used for anything until they are checked (`contact_code_send`).
    """
    require(actor, "person.create")
    check = person_fields_clean(fields)
    if not check.ok:
        raise PersonDetailsInvalid(check.errors)
    values = check.values
    require(actor, "person.create", values["unit"])
    with transaction.atomic():
        person = Person.objects.create(**{name: values[name] for name in (*PERSON_FIELDS, *DERIVED_FIELDS)})
        audit_record(
            actor=actor,
            role=_editing_role(actor, person),
            action=AuditAction.PERSON_CREATED,
            person=person,
            target=person,
            data={"after": _audit_values(values, _filled(values))},
        )
    return person


def person_update(*, actor: Any, person: Person, fields: Mapping[str, Any], reason: str = "") -> PersonChange:
    """Change a person's details. Only what changed is written and audited (before and after); nothing, if nothing.

    A new phone number or email is unchecked until the person proves it is theirs. A new unit is a
    transfer: `PersonTransferred` lets the apps above react. Release and the end of supervision have
    their own steps, so the status moves only within custody or within the community here.
    """
    require(actor, "person.edit", person)
    check = person_fields_clean(fields, current=person)
    if not check.ok:
        raise PersonDetailsInvalid(check.errors)
    values = check.values
    with transaction.atomic():
        locked = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
        current = {name: getattr(locked, name) for name in (*PERSON_FIELDS, *DERIVED_FIELDS)}
        current["prison_number"] = current["prison_number"] or None
        current["crn"] = current["crn"] or None
        changed = [name for name in (*PERSON_FIELDS, *DERIVED_FIELDS) if values[name] != current[name]]
        if not changed:
            return PersonChange(locked)
        problem = _status_change_problem(current["status"], values["status"])
        if problem:
            raise PersonDetailsInvalid([FieldError("status", problem)])
        # A transfer may send the person out of the actor's area (to another prison): the sending side records it.
        from_unit = locked.unit
        for name in changed:
            setattr(locked, name, values[name])
        extra = []
        for contact in ("phone", "email"):
            if contact in changed:
                setattr(locked, f"{contact}_verified_at", None)
                extra.append(f"{contact}_verified_at")
        locked.save(update_fields=[*changed, *extra, "updated_at"])
        audit_record(
            actor=actor,
            role=_editing_role(actor, person),
            action=AuditAction.PERSON_UPDATED,
            person=locked,
            target=locked,
            reason=reason,
            data={"before": _audit_values(current, changed), "after": _audit_values(values, changed)},
        )
        contacts = tuple(name for name in ("phone", "email") if name in changed and current[name])
        if contacts:  # a contact replaced or removed, not one given for the first time
            announce(PersonContactChanged(person=locked, actor=actor, fields=contacts))
        transferred = "unit" in changed
        if transferred:
            announce(PersonTransferred(person=locked, actor=actor, from_unit=from_unit, to_unit=locked.unit))
    return PersonChange(locked, changed, transferred)


def _status_change_problem(before: str, after: str) -> str:
    if before == after:
        return ""
    if before in CUSTODY_STATUSES and after in CUSTODY_STATUSES:
        return ""
    if before in COMMUNITY_STATUSES and after in COMMUNITY_STATUSES:
        return ""
    if before in CUSTODY_STATUSES and after in COMMUNITY_STATUSES:
        return _("To move someone from custody to the community, use Record release.")
    if after == Status.ENDED:
        return _("To end supervision, use End supervision.")
    return _("This change of status is not allowed here.")


def _filled(values: Mapping[str, Any]) -> list[str]:
    return [name for name in (*PERSON_FIELDS, *DERIVED_FIELDS) if values.get(name) not in (None, "")]


def _audit_values(values: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    """The named fields as the audit trail keeps them (a unit by its id and code)."""
    kept: dict[str, Any] = {}
    for name in names:
        value = values.get(name)
        kept[name] = {"id": value.pk, "code": value.code} if isinstance(value, OrgUnit) else value
    return kept


def _editing_role(actor: Any, person: Person) -> str:
    """The role through which the actor edits: their casework role, else a role of theirs covering the unit."""
    role = acting_role(actor, person)
    if role:
        return role
    for held in staff_roles(actor):
        if person.unit.path.startswith(held.unit.path):
            return str(held.role)
    return ""


# --- Checking a phone number or email is the person's ------------------------------------------


def contact_code_send(*, actor: Any, person: Person, channel: str, address: str = "") -> None:
    """Send a code to the person's phone or email (or to `address`, a new one staff are about to record).

    The code is stored only as a keyed digest; `ContactCodeIssued` asks notifications to deliver it to
    that address and nowhere else. An older live code for the same channel stops working.
    """
    require(actor, "person.verify_contact", person)
    if channel not in ContactChannel.values:
        raise ValidationError(_("Choose the phone or the email."))
    name = "phone" if channel == ContactChannel.SMS else "email"
    if address:
        check = person_fields_clean({name: address}, current=person)
        if not check.ok:
            raise PersonDetailsInvalid(check.errors)
        address = check.values[name]
    else:
        address = getattr(person, name)
    if not address:
        missing = _("There is no mobile number to check.") if name == "phone" else _("There is no email to check.")
        raise PersonDetailsInvalid([FieldError(name, missing)])
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    minutes = settings.ONE_TIME_CODE_MINUTES
    with transaction.atomic():
        ContactCode.objects.filter(person=person, channel=channel, used_at__isnull=True).update(used_at=now)
        record = ContactCode.objects.create(
            person=person,
            channel=channel,
            address=address,
            code_digest=_contact_digest(code),
            created_by=actor if getattr(actor, "pk", None) else None,
            expires_at=now + timedelta(minutes=minutes),
        )
        audit_record(
            actor=actor,
            role=_verifying_role(actor, person),
            action=AuditAction.PERSON_CONTACT_CODE_SENT,
            person=person,
            target=record,
            data={"channel": channel},
        )
        announce(ContactCodeIssued(person=person, channel=channel, address=address, code=code, minutes=minutes))


def contact_verify(*, actor: Any, person: Person, channel: str, code: str) -> Person:
    """The code sent to the person's phone or email, typed back (by them or by staff): the contact is theirs."""
    require(actor, "person.verify_contact", person)
    name = "phone" if channel == ContactChannel.SMS else "email"
    now = timezone.now()
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        address = getattr(locked, name)
        if not address or not _contact_code_matches(locked, channel, address, code, now):
            ok = False
        else:
            ok = True
            setattr(locked, f"{name}_verified_at", now)
            locked.save(update_fields=[f"{name}_verified_at", "updated_at"])
            audit_record(
                actor=actor,
                role=_verifying_role(actor, locked),
                action=AuditAction.PERSON_CONTACT_VERIFIED,
                person=locked,
                target=locked,
                data={"channel": channel, "how": "code"},
            )
    if not ok:
        # Raised after the commit, so the count of wrong tries is kept.
        raise PersonDetailsInvalid([FieldError("code", _("That code is not right or has run out."))])
    return locked


def contact_confirm_in_person(*, actor: Any, person: Person, channel: str) -> Person:
    """Staff saw the person's phone or email is theirs (for example, a text arrived while they watched)."""
    require(actor, "person.edit", person)
    name = "phone" if channel == ContactChannel.SMS else "email"
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not getattr(locked, name):
            raise PersonDetailsInvalid([FieldError(name, _("There is nothing to confirm."))])
        setattr(locked, f"{name}_verified_at", timezone.now())
        locked.save(update_fields=[f"{name}_verified_at", "updated_at"])
        audit_record(
            actor=actor,
            role=_editing_role(actor, locked),
            action=AuditAction.PERSON_CONTACT_VERIFIED,
            person=locked,
            target=locked,
            data={"channel": channel, "how": "in_person"},
        )
    return locked


def _contact_code_matches(person: Person, channel: str, address: str, code: str, now: Any) -> bool:
    """Whether `code` is the live code sent to this address. A wrong try counts; too many burn the code."""
    record = (
        ContactCode.objects.select_for_update()
        .filter(person=person, channel=channel, address=address, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return False
    if not constant_time_compare(record.code_digest, _contact_digest(code)):
        record.failed_attempts += 1
        if record.failed_attempts >= settings.ONE_TIME_CODE_FAILURE_LIMIT:
            record.used_at = now
        record.save(update_fields=["failed_attempts", "used_at"])
        return False
    record.used_at = now
    record.save(update_fields=["used_at"])
    return True


def _contact_digest(code: str) -> str:
    return salted_hmac("onward.people.contact_code", code.strip().replace(" ", "")).hexdigest()


def _verifying_role(actor: Any, person: Person) -> str:
    return "person" if getattr(actor, "person_id", None) == person.pk else _editing_role(actor, person)
