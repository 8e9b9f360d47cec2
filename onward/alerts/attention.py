"""Why a person needs attention, from their alerts (see `onward/people/attention.py`)."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy

from onward.alerts.models import WAITING_STATES, Alert, Severity
from onward.people.attention import AttentionMoment, attention_reason


@attention_reason("alert_urgent", rank=10, label=gettext_lazy("Urgent alert"))
def _urgent_alert(moment: AttentionMoment) -> Exists:
    """A high-severity alert about them (a missed check-in, missed appointments, a zone) not yet closed."""
    return Exists(_waiting().filter(severity=Severity.HIGH))


@attention_reason("alert_open", rank=40, label=gettext_lazy("Open alert"))
def _open_alert(moment: AttentionMoment) -> Exists:
    """Any other alert about them not yet closed (acknowledged ones too: they still need a decision)."""
    return Exists(_waiting().exclude(severity=Severity.HIGH))


def _waiting() -> QuerySet[Alert]:
    return Alert.objects.filter(person=OuterRef("pk"), state__in=sorted(WAITING_STATES))
