"""What the accounts app announces to the apps above it (see onward.core.events)."""

from dataclasses import dataclass

from onward.accounts.models import User
from onward.people.models import Person


@dataclass(frozen=True)
class SignInCodeIssued:
    """A one-time sign-in code for a person in the community, to be sent to the contact they typed.

    The code exists in plain text only here, on its way to the person; the database keeps its digest.
    """

    person: Person
    account: User
    channel: str  # sms | email
    address: str
    code: str
    minutes: int
