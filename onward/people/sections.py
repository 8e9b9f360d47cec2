"""Pages about a person that apps above `people` add parts to: one registry, used for each such page.

An app registers a section in its own module for that page (`record.py` for the staff record,
`home.py` for the person's home page; both found at start-up). The page shows each section's
template, in order, with the context the section returns for the reader and the person; a section
returns None when it has nothing to show, or the reader may not see it.

A page may put its sections in groups (the home page: what to do now, what is coming, the rest). A
section names its group when it registers; `grouped` gives each group's sections, in the page's order.
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
    """The sections registered for one page, by name, each with its group and its place in the group.

    `groups` are the page's groups in the order the page shows them ("" when the page has none).
    """

    def __init__(self, groups: tuple[str, ...] = ("",)) -> None:
        self.groups = groups
        self._sections: dict[str, tuple[str, int, SectionFunction]] = {}

    def section(self, name: str, *, order: int, group: str = "") -> Callable[[SectionFunction], SectionFunction]:
        if group not in self.groups:
            raise ValueError(f"Section {name!r}: group {group!r} is not one of {self.groups}")

        def register(function: SectionFunction) -> SectionFunction:
            self._sections[name] = (group, order, function)
            return function

        return register

    def grouped(self, user: Any, person: Person) -> dict[str, list[PageSection]]:
        """Each group's sections that have something to show, groups in the page's order (empty ones too)."""
        found: dict[str, list[PageSection]] = {group: [] for group in self.groups}
        place = {group: index for index, group in enumerate(self.groups)}
        for group, _order, function in sorted(self._sections.values(), key=lambda item: (place[item[0]], item[1])):
            part = function(user, person)
            if part is not None:
                found[group].append(part)
        return found

    def shown(self, user: Any, person: Person) -> list[PageSection]:
        return [part for parts in self.grouped(user, person).values() for part in parts]
