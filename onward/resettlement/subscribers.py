"""What the plan does when people announces a release: it is handed over to probation, in the same
transaction as the release (the plan's rows stay the person's: nothing is copied or lost)."""

from onward.core.events import subscriber
from onward.people.events import PersonReleased
from onward.resettlement.handover import plan_hand_over


@subscriber(PersonReleased)
def plan_handed_over_at_release(event: PersonReleased) -> None:
    plan_hand_over(
        person=event.person, actor=event.actor, practitioner=event.practitioner, release_date=event.release_date
    )
