"""Who may see reports: senior practitioners and administrators, for the units they hold that role at
(and every unit below). Practitioners without the senior role, and people, never."""

from typing import Any

from django.db.models import QuerySet

from onward.core.actors import is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import OrgUnit, Role
from onward.organisations.roles import has_role, staff_roles
from onward.organisations.selectors import units_under

REPORT_ROLES = (Role.SENIOR, Role.ADMINISTRATOR)


def report_role_for(user: Any, unit: OrgUnit) -> str | None:
    """The role through which this user may see this unit's reports; None when they may not."""
    if not is_staff_user(user):
        return None
    for held in staff_roles(user):
        if held.role in REPORT_ROLES and unit.path.startswith(held.unit.path):
            return str(held.role)
    return None


def report_units(user: Any) -> QuerySet[OrgUnit]:
    """Every unit whose reports this user may see (one query)."""
    if not is_staff_user(user):
        return OrgUnit.objects.none()
    return units_under(held.unit.path for held in staff_roles(user) if held.role in REPORT_ROLES)


@rule("report.view")
def can_view_reports(user: Any, unit: OrgUnit | None) -> bool:
    if unit is None:
        return is_staff_user(user) and has_role(user, *REPORT_ROLES)
    return report_role_for(user, unit) is not None
