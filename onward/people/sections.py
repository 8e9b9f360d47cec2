"""Pages about a person that apps above `people` add parts to: one registry, used for each such page.

An app registers a section in its own module for that page (`record.py` for the staff record,
`home.py` for the person's home page; both found at start-up). The page shows each section's
template, in order, with the context the section returns for the reader and the person; a section
returns None when it has nothing to show, or the reader may not see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onward.people.models import Person


@dataclass(frozen=True)
class PageSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[Any, Person], PageSection | None]


class PageSections:
    """The sections registered for one page, by name, each with its place in the page."""

    def __init__(self) -> None:
        self._sections: dict[str, tuple[int, SectionFunction]] = {}

    def section(self, name: str, *, order: int) -> Callable[[SectionFunction], SectionFunction]:
        def register(function: SectionFunction) -> SectionFunction:
            self._sections[name] = (order, function)
            return function

        return register

    def shown(self, user: Any, person: Person) -> list[PageSection]:
        found = []
        for _order, function in sorted(self._sections.values(), key=lambda item: item[0]):
            part = function(user, person)
            if part is not None:
                found.append(part)
        return found
