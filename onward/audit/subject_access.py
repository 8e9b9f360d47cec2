"""Who did what with the person's record, and when: the audit trail's events about them."""

from django.db import models

from onward.audit.models import AuditEvent
from onward.core.subject_access import Section, rows, subject_access_section


@subject_access_section("audit_trail", covers=[AuditEvent])
def audit_section(person: models.Model) -> Section:
    return Section(
        rows(
            AuditEvent.objects.filter(person_id=person.pk).order_by("seq"),
            "at",
            "action",
            "actor_role",
            "actor_system",
            "actor__first_name",
            "actor__last_name",
            "reason",
        )
    )
