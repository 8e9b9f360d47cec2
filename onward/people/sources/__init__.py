"""Where people come from in bulk. A source yields records; `onward.people.imports` checks and applies them.

A record is what one row of a file (or one entry of a national feed) says about one person, as text in
the import's own columns (IMPORT_COLUMNS), with the line a person would look at to find it. Empty text
means "not known": an import never clears a field. A new source (a prison or probation case-management
system's feed) is one class with a `records()` method that maps its fields onto these columns; see
docs/people_import.md for the mapping such a class would use.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

# The columns an import reads, in the order the README lists them.
IMPORT_COLUMNS = (
    "prison_number",
    "crn",
    "first_name",
    "last_name",
    "date_of_birth",
    "status",
    "unit_code",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "language",
    "release_date",
    "licence_end_date",
    "hdc_eligibility_date",
)
# Columns every file must have (a value may still be empty): what a new person needs.
REQUIRED_COLUMNS = ("first_name", "last_name", "date_of_birth", "status", "unit_code")
# A file needs at least one of these: how a row is matched to a record.
KEY_COLUMNS = ("prison_number", "crn")


@dataclass(frozen=True)
class SourceProblem:
    """Something wrong with the source itself or one of its lines. `line` None: the whole source."""

    line: int | None
    column: str
    message: str


@dataclass(frozen=True)
class SourceRecord:
    """One person as the source describes them: column → text ("" = not known), and where to find it."""

    line: int
    values: dict[str, str]
    problems: tuple[SourceProblem, ...] = field(default=())


class SourceRefused(Exception):
    """The source cannot be read at all (not UTF-8, wrong columns, too big): nothing in it is used."""

    def __init__(self, problems: list[SourceProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class PersonSource(Protocol):
    """Anything that yields people to import: a CSV file, or a feed from a case-management system."""

    # What the audit trail calls it: "people.csv (upload)", "NOMIS prisoner feed".
    description: str

    def records(self) -> Iterator[SourceRecord]:
        """Every record in order. Raises SourceRefused before the first record if the source is unusable."""
        ...
