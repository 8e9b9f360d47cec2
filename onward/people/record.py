"""The parts of a person's staff record that apps above `people` add (sign-in, check-ins, ...).

An app registers a section in its own `record.py` (found at start-up); the record page shows each
section's template, in order, with the context the section returns for the reader and the person.
A section returns None when the reader may not see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onward.people.models import Person


@dataclass(frozen=True)
class RecordSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[Any, Person], RecordSection | None]
_SECTIONS: dict[str, tuple[int, SectionFunction]] = {}


def record_section(name: str, *, order: int) -> Callable[[SectionFunction], SectionFunction]:
    def register(function: SectionFunction) -> SectionFunction:
        _SECTIONS[name] = (order, function)
        return function

    return register


def record_sections(user: Any, person: Person) -> list[RecordSection]:
    found = []
    for _order, function in sorted(_SECTIONS.values(), key=lambda item: item[0]):
        section = function(user, person)
        if section is not None:
            found.append(section)
    return found
