"""Searching the audit trail: administrators see all of it, security staff what concerns their establishment."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.core.audit_actions import audit_actions_described_by
from onward.organisations.models import Role
from onward.organisations.roles import has_role, staff_roles


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # prison number or CRN
    actor: str = ""  # staff email / username
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_events_for(user: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "person")
    if not has_role(user, Role.ADMINISTRATOR):
        scope = Q(pk__in=[])
        for held in staff_roles(user):
            if held.role == Role.SECURITY:
                scope |= Q(person__unit__path__startswith=held.unit.path)
        events = events.filter(scope)
    if filters.person:
        ref = filters.person.strip().upper()
        events = events.filter(Q(person__prison_number=ref) | Q(person__crn=ref))
    if filters.actor:
        events = events.filter(actor__username__iexact=filters.actor.strip())
    if filters.action:
        wanted = filters.action.strip()
        # Staff read labels, so they may search by their words as well as by a code's start.
        events = events.filter(Q(action__startswith=wanted) | Q(action__in=audit_actions_described_by(wanted)))
    tz = timezone.get_current_timezone()
    if filters.date_from:
        events = events.filter(at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        events = events.filter(at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tz))
    return events.order_by("-seq")
