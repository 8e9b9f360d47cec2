"""The "Resettlement" part of a person's staff record: open needs and actions, and the way to the plan."""

from typing import Any

from onward.core.permissions import can
from onward.people.models import Person
from onward.people.record import RecordSection, record_section
from onward.resettlement.models import OPEN_NEED_STATUSES, Need, PlanAction


@record_section("resettlement", order=40)
def resettlement_section(user: Any, person: Person) -> RecordSection | None:
    if not can(user, "resettlement.view", person):
        return None
    return RecordSection(
        "resettlement/_record_plan.html",
        {
            "open_needs": Need.objects.filter(person=person, status__in=sorted(OPEN_NEED_STATUSES)).count(),
            "open_actions": PlanAction.objects.filter(person=person, done_at__isnull=True).count(),
            "may_see_documents": can(user, "resettlement.documents", person),
        },
    )
