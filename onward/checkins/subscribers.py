"""How check-ins react to what happens to a person's record."""

from django.utils.translation import gettext as _

from onward.checkins.services import checkins_cancel_open, enrolment_template_delete
from onward.core.events import subscriber
from onward.people.events import SupervisionEnded


@subscriber(SupervisionEnded)
def checkins_stop_at_supervision_end(event: SupervisionEnded) -> None:
    """The face template and reference photo go, the schedule stops, and nothing is left waiting for them."""
    enrolment_template_delete(actor=None, person=event.person, reason=_("Supervision ended"))
    checkins_cancel_open(actor=None, person=event.person, reason=_("Supervision ended"))
