"""Who did what with the person's record, and when: the audit trail's events about them."""

from onward.audit.models import AuditEvent
from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person


@subject_access_section("audit_trail", covers=[AuditEvent])
def audit_section(person: Person) -> Section:
    return Section(
        rows(
            AuditEvent.objects.filter(person=person).order_by("seq"),
            "at",
            "action",
            "actor_role",
            "actor_system",
            "actor__first_name",
            "actor__last_name",
            "reason",
        )
    )
