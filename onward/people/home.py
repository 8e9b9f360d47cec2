"""The parts of a person's home page (/me/) that apps above `people` add (their inbox, ...).

Like `record.py` for the staff record: an app registers a section in its own `home.py` (found at
start-up); the home page shows each section's template, in order, with the context the section returns
for the signed-in person. A section returns None when it has nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onward.people.models import Person


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[Any, Person], HomeSection | None]
_SECTIONS: dict[str, tuple[int, SectionFunction]] = {}


def home_section(name: str, *, order: int) -> Callable[[SectionFunction], SectionFunction]:
    def register(function: SectionFunction) -> SectionFunction:
        _SECTIONS[name] = (order, function)
        return function

    return register


def home_sections(user: Any, person: Person) -> list[HomeSection]:
    found = []
    for _order, function in sorted(_SECTIONS.values(), key=lambda item: item[0]):
        section = function(user, person)
        if section is not None:
            found.append(section)
    return found
