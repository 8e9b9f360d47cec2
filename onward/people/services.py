"""Changes to a person's record. Each checks permission, writes its audit event and its side effects."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.permissions import require
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.models import (
    RELEASE_STATUSES,
    AssignmentRole,
    ConditionKind,
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

    Custody assignments end; the probation practitioner (if named) is assigned; the practitioner is told.
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
            action="person.released",
            person=locked,
            target=locked,
            reason=reason,
            data={"before": before, "after": {"status": locked.status, "unit": locked.unit_id}},
        )
        if details.practitioner is not None:
            from onward.notifications.services import notification_queue

            notification_queue(
                channel="in_app",
                recipient=str(details.practitioner.pk),
                user=details.practitioner,
                person=locked,
                subject=_("New case: %(ref)s released") % {"ref": locked.reference},
                body=_("%(ref)s was released on %(date)s and is now on your caseload.")
                % {"ref": locked.reference, "date": details.release_date.isoformat()},
                idempotency_key=f"release:{locked.pk}:{details.release_date.isoformat()}",
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
            action="person.assigned",
            person=person,
            target=assignment,
            data={"role": role, "staff": staff.pk},
        )
    return assignment


def licence_version_issue(*, actor: Any, person: Person, standard: list[str], additional: list[str]) -> LicenceVersion:
    """A new version of the licence conditions. The person must confirm it."""
    require(actor, "licence.issue", person)
    with transaction.atomic():
        last = person.licence_versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = LicenceVersion.objects.create(person=person, number=last + 1, issued_by=actor)
        rows = [
            LicenceCondition(version=version, kind=kind, text=text.strip(), position=i)
            for i, (kind, text) in enumerate(
                [(ConditionKind.STANDARD, t) for t in standard] + [(ConditionKind.ADDITIONAL, t) for t in additional]
            )
        ]
        LicenceCondition.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action="licence.issued",
            person=person,
            target=version,
            data={"number": version.number, "conditions": len(rows)},
        )
    return version


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
                action="licence.confirmed",
                person=version.person,
                target=version,
                data={"number": version.number},
            )
    return version


def person_supervision_end(*, actor: Any, person: Person, reason: str) -> Person:
    """Supervision is over: the record stays (for the retention period), their biometric data goes now.

    The face template and reference photo are deleted, devices stop working (and getting notifications),
    assignments end.
    """
    require(actor, "person.end_supervision", person)
    if not reason.strip():
        raise ValidationError(_("Give a reason for ending supervision."))
    from onward.accounts.models import DeviceToken
    from onward.checkins.services import enrolment_template_delete
    from onward.notifications.models import PushSubscription

    role = acting_role(actor, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        before = locked.status
        locked.status = Status.ENDED
        locked.save(update_fields=["status", "updated_at"])
        now = timezone.now()
        StaffAssignment.objects.filter(person=locked, ended_at__isnull=True).update(ended_at=now)
        DeviceToken.objects.filter(user__person=locked, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        PushSubscription.objects.filter(user__person=locked, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason="supervision_ended"
        )
        enrolment_template_delete(actor=None, person=locked, reason=_("Supervision ended"))
        audit_record(
            actor=actor,
            role=role,
            action="person.supervision_ended",
            person=locked,
            target=locked,
            reason=reason,
            data={"before": before},
        )
    return locked
