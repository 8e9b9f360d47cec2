"""How accounts react to what happens to a person's record."""

from onward.accounts.services import person_access_end
from onward.core.events import subscriber
from onward.people.events import SupervisionEnded


@subscriber(SupervisionEnded)
def access_end_at_supervision_end(event: SupervisionEnded) -> None:
    person_access_end(actor=event.actor, person=event.person, reason=event.reason)
