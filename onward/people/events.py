"""What happens to a person's record that apps above `people` may need to act on (see onward.core.events).

Announced inside the transaction that makes the change, after the change is saved.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from onward.organisations.models import OrgUnit
from onward.people.models import LicenceVersion, Person


@dataclass
class ReleaseHandover:
    """What a release asks of the apps above, and what they leave for the member of staff to see once.

    accounts fills `activation_code` when a printed activation letter was asked for.
    """

    activation_letter: bool = False
    activation_code: str = ""


@dataclass(frozen=True)
class PersonReleased:
    """A person left custody for the community, on the same record and account."""

    person: Person
    actor: Any
    release_date: date
    practitioner: Any | None
    handover: ReleaseHandover = field(default_factory=ReleaseHandover)


@dataclass(frozen=True)
class SupervisionEnded:
    """Supervision is over: the record stays for its retention period; access and biometrics go now."""

    person: Person
    actor: Any
    reason: str


@dataclass(frozen=True)
class PersonContactChanged:
    """Staff changed the person's phone number or email: whoever was signed in by the old one must sign in again."""

    person: Person
    actor: Any
    fields: tuple[str, ...]  # "phone", "email"


@dataclass(frozen=True)
class LicenceIssued:
    """A new version of the person's licence conditions: they must read and confirm it."""

    person: Person
    actor: Any
    version: LicenceVersion


@dataclass(frozen=True)
class PersonTransferred:
    """A person's unit changed (another wing, prison or office): who sees them, and where, follows the unit."""

    person: Person
    actor: Any
    from_unit: OrgUnit
    to_unit: OrgUnit


@dataclass(frozen=True)
class ContactCodeIssued:
    """A code to prove a phone number or email is the person's: deliver it to that address, and only there."""

    person: Person
    channel: str  # "sms" or "email"
    address: str
    code: str
    minutes: int
