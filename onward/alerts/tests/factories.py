import factory
from django.utils import timezone

from onward.alerts.models import Alert, AlertKind, AlertNote, AlertState, Severity
from onward.people.tests.factories import CommunityPersonFactory


class AlertFactory(factory.django.DjangoModelFactory[Alert]):
    """An open, high-severity missed check-in alert about a person on licence (synthetic)."""

    class Meta:
        model = Alert

    kind = AlertKind.CHECKIN_MISSED
    severity = Severity.HIGH
    state = AlertState.OPEN
    person = factory.SubFactory(CommunityPersonFactory)
    summary = "Synthetic test alert: a check-in was not done."
    key = factory.Sequence(lambda n: f"test-alert:{n}")
    created_at = factory.LazyFunction(timezone.now)


class AlertNoteFactory(factory.django.DjangoModelFactory[AlertNote]):
    class Meta:
        model = AlertNote

    alert = factory.SubFactory(AlertFactory)
    text = "Synthetic test note."
