"""The person's plan on their home page: how many things are theirs to do, and the way to the plan."""

from typing import Any

from onward.core.permissions import can
from onward.people.home import OTHER, HomeSection, home_section
from onward.people.models import Person
from onward.resettlement.models import PrisonRequest
from onward.resettlement.selectors import todos_open_count


@home_section("plan", order=20, group=OTHER)  # the plan is kept, not urgent: its overdue actions show in it
def plan_section(user: Any, person: Person) -> HomeSection | None:
    if not can(user, "resettlement.self", person):
        return None
    context = {
        "todo_count": todos_open_count(person),
        "in_custody": person.in_custody,
        "requests": PrisonRequest.objects.filter(person=person).exists(),
    }
    return HomeSection("resettlement/_home_plan.html", context)
