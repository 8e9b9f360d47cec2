"""Alerts raised by what lower apps announce: a release hands the case to a new practitioner."""

from django.utils.translation import gettext as _

from onward.alerts.models import AlertKind
from onward.alerts.services import AlertCause, alert_raise
from onward.core.events import subscriber
from onward.people.events import PersonReleased


@subscriber(PersonReleased)
def practitioner_alert_of_release(event: PersonReleased) -> None:
    """The named probation practitioner gets their new case as an alert to pick up."""
    practitioner = event.practitioner
    if practitioner is None:
        return
    person = event.person
    alert_raise(
        kind=AlertKind.RELEASE_HANDOVER,
        person=person,
        key=f"release:{person.pk}:{event.release_date.isoformat()}",
        summary=_("%(ref)s was released on %(date)s and is now on your caseload.")
        % {"ref": person.reference, "date": event.release_date.isoformat()},
        cause=AlertCause("people:person_detail", _("Case record"), [person.pk]),
        assign_to=practitioner,
        actor=event.actor,
    )
