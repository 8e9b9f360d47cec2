"""Who may see and act on which alert: staff who work with the person, and whoever it was escalated to.

People never see staff alerts. Lists use `alerts_scope`, single checks `alert_in_scope`: the same facts.
"""

from typing import Any

from django.db.models import Q

from onward.alerts.models import Alert
from onward.core.actors import is_staff_user
from onward.core.permissions import rule
from onward.organisations.models import OrgUnit, Role
from onward.organisations.roles import has_role, staff_roles
from onward.people.models import Person, StaffAssignment
from onward.people.rules import acting_role

ALERT_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)


def alerts_scope(user: Any, *, team: bool) -> Q:
    """Alerts assigned or escalated to the user; with `team`, also every alert about a person they reach."""
    escalated = Alert.escalated_to.through.objects.filter(user_id=user.pk).values("alert_id")
    # Both parts as lists of alert ids: checking an id against a list needs no read of the alert's row,
    # so counting the open ones (the menu, on every staff page) stays quick among many alerts.
    assigned = Alert.objects.filter(assigned_to=user).values("pk")
    scope = Q(pk__in=assigned) | Q(pk__in=escalated)
    if team:
        # Each part is a list of person ids, so the database finds alerts by person (an index) instead of
        # reading every alert and joining its person's unit.
        scope |= Q(person_id__in=StaffAssignment.objects.filter(staff=user, ended_at__isnull=True).values("person_id"))
        units = Q(pk__in=[])
        for held in staff_roles(user):
            if held.role in ALERT_ROLES:
                units |= Q(path__startswith=held.unit.path)
        in_units = Person.objects.filter(unit__in=OrgUnit.objects.filter(units).values("pk")).values("pk")
        scope |= Q(person_id__in=in_units)
    return scope


def alert_in_scope(user: Any, alert: Alert) -> bool:
    if not is_staff_user(user):
        return False
    if alert.assigned_to_id == user.pk:
        return True
    if alert.escalated_to.filter(pk=user.pk).exists():
        return True
    return acting_role(user, alert.person) in ALERT_ROLES


@rule("alert.view")
def can_view_alert(user: Any, alert: Alert | None) -> bool:
    if alert is None:
        return is_staff_user(user) and has_role(user, *ALERT_ROLES)
    return alert_in_scope(user, alert)


@rule("alert.act")
def can_act_on_alert(user: Any, alert: Alert | None) -> bool:
    """Acknowledge, add a note, close: anyone who may see the alert."""
    return can_view_alert(user, alert)
