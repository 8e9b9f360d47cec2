"""Subject access: everything Onward holds about one person, gathered from every app, for one export.

Each app that keeps data about people registers its part in its own `subject_access.py`, which is
found at start-up:

    @subject_access_section("appointments", covers=[Appointment, ReminderPreference, Slot])
    def appointments_section(person: Person) -> Section: ...

`covers` names the models whose rows about a person the section exports. A test walks every model
that points at a Person and fails unless a section covers it (or EXEMPT says why not), so a new
table of personal data cannot be left out of the export by accident.

Sections return plain data (lists of dicts from `.values()`, dates included) and the stored files
that belong in the export. Secrets never go in: password and PIN hashes, token digests, face
templates (the export says a template is held, not its numbers).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class Section:
    data: Any
    files: list[tuple[str, str]] = field(default_factory=list)  # (name in storage, name in the export)


SectionFunction = Callable[[Any], Section]
_SECTIONS: dict[str, tuple[SectionFunction, tuple[type[models.Model], ...]]] = {}

# Models that point at a person but hold nothing that is theirs to receive, with the reason.
EXEMPT: dict[str, str] = {}


def subject_access_section(
    name: str, *, covers: list[type[models.Model]]
) -> Callable[[SectionFunction], SectionFunction]:
    def register(function: SectionFunction) -> SectionFunction:
        if name in _SECTIONS and _SECTIONS[name][0] is not function:
            raise ValueError(f"Two subject access sections are called {name!r}.")
        _SECTIONS[name] = (function, tuple(covers))
        return function

    return register


def subject_access_sections() -> dict[str, SectionFunction]:
    return {name: function for name, (function, _covers) in sorted(_SECTIONS.items())}


def subject_access_covered() -> set[str]:
    """The labels ("app.Model") of every model some section exports."""
    return {model._meta.label for _function, covers in _SECTIONS.values() for model in covers}


def rows(queryset: Any, *fields: str) -> list[dict[str, Any]]:
    """A queryset's chosen fields as plain dicts, oldest first where the model has an order."""
    return list(queryset.values(*fields))
