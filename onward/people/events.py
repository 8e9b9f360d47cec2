"""What happens to a person's record that apps above `people` may need to act on (see onward.core.events).

Announced inside the transaction that makes the change, after the change is saved.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from onward.people.models import LicenceVersion, Person


@dataclass(frozen=True)
class PersonReleased:
    """A person left custody for the community, on the same record and account."""

    person: Person
    actor: Any
    release_date: date
    practitioner: Any | None


@dataclass(frozen=True)
class SupervisionEnded:
    """Supervision is over: the record stays for its retention period; access and biometrics go now."""

    person: Person
    actor: Any
    reason: str


@dataclass(frozen=True)
class LicenceIssued:
    """A new version of the person's licence conditions: they must read and confirm it."""

    person: Person
    actor: Any
    version: LicenceVersion
