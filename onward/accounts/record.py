"""The "Account" part of a person's staff record: PIN, devices, and the sign-in actions staff may take."""

from typing import Any

from onward.accounts.models import DeviceToken, PinCredential
from onward.accounts.services import device_tokens_live
from onward.core.permissions import can
from onward.people.models import Person
from onward.people.record import RecordSection, record_section


@record_section("account", order=50)
def account_section(user: Any, person: Person) -> RecordSection:
    return RecordSection(
        "accounts/_record_account.html",
        {
            "pin": PinCredential.objects.filter(user__person=person).first(),
            "devices": device_tokens_live(DeviceToken.objects.filter(user__person=person), person),
            "may_reset_pin": can(user, "person.reset_pin", person),
            "may_issue_code": can(user, "person.issue_activation_code", person),
        },
    )
