"""How accounts react to what happens to a person's record."""

from onward.accounts.services import activation_code_create, person_access_end
from onward.core.events import subscriber
from onward.people.events import PersonContactChanged, PersonReleased, SupervisionEnded


@subscriber(SupervisionEnded)
def access_end_at_supervision_end(event: SupervisionEnded) -> None:
    person_access_end(actor=event.actor, person=event.person, reason=event.reason)


@subscriber(PersonContactChanged)
def access_end_at_contact_change(event: PersonContactChanged) -> None:
    """A sign-in code could have gone to the old number or address: every device and session signs in again."""
    changed = " and ".join(event.fields)
    person_access_end(actor=event.actor, person=event.person, reason=f"Contact changed by staff ({changed})")


@subscriber(PersonReleased)
def activation_letter_at_release(event: PersonReleased) -> None:
    """Staff asked to print an activation letter at release: the code goes back to them, once, to print."""
    if event.handover.activation_letter:
        event.handover.activation_code = activation_code_create(
            actor=event.actor, person=event.person, role="releasing officer"
        )
