"""Reading alerts: a practitioner's own or their team's, filtered, most serious and oldest first."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from onward.alerts.models import SEVERITY_RANK, WAITING_STATES, Alert
from onward.alerts.rules import alert_in_scope, alerts_scope
from onward.core.permissions import can


@dataclass(frozen=True)
class AlertFilter:
    team: bool = False
    state: str = ""  # "" means waiting (open or acknowledged); "all" means every state
    severity: str = ""
    kind: str = ""


def alerts_for(user: Any, wanted: AlertFilter | None = None) -> QuerySet[Alert]:
    """The alerts this user may see that match the filter, most serious first, then oldest first."""
    wanted = wanted or AlertFilter()
    if not can(user, "alert.view"):
        return Alert.objects.none()
    found = Alert.objects.filter(alerts_scope(user, team=wanted.team))
    if wanted.state == "":
        found = found.filter(state__in=sorted(WAITING_STATES))
    elif wanted.state != "all":
        found = found.filter(state=wanted.state)
    if wanted.severity:
        found = found.filter(severity=wanted.severity)
    if wanted.kind:
        found = found.filter(kind=wanted.kind)
    rank = Case(
        *[When(severity=severity, then=Value(value)) for severity, value in SEVERITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        found.annotate(rank=rank)
        .select_related("person", "assigned_to", "assigned_unit")
        .order_by("-rank", "created_at", "pk")
    )


def alert_get(user: Any, alert_id: int) -> Alert:
    """One alert with its notes; the same 404 for one that does not exist and one out of the user's scope."""
    alert = (
        Alert.objects.select_related("person", "assigned_to", "assigned_unit", "acknowledged_by", "closed_by")
        .prefetch_related("notes__author", "escalated_to")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or not alert_in_scope(user, alert):
        raise Http404
    return alert


def alerts_waiting_count(user: Any) -> int:
    """How many alerts assigned or escalated to the user are not yet closed (the number in the menu)."""
    if not can(user, "alert.view"):
        return 0
    return Alert.objects.filter(alerts_scope(user, team=False), state__in=sorted(WAITING_STATES)).count()


def alert_cause_url(alert: Alert) -> str:
    """The page of what caused the alert, or "" when it has none (or it no longer exists)."""
    if not alert.cause_url_name:
        return ""
    try:
        return reverse(alert.cause_url_name, args=list(alert.cause_args))
    except NoReverseMatch:
        return ""
