from typing import Any

import pytest

from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory


@pytest.fixture
def case(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A practitioner in the north office with one person on licence; the north PDU's senior; a stranger."""
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {
        "practitioner": _verified(practitioner),
        "person": person,
        "senior": _verified(make_staff(Role.SENIOR, org["pdu_n"])),
        "other_senior": _verified(make_staff(Role.SENIOR, org["pdu_s"])),
        "stranger": _verified(make_staff(Role.PRACTITIONER, org["office_s"])),
        "colleague": _verified(make_staff(Role.PRACTITIONER, org["office_n"])),
    }


def _verified(user: Any) -> Any:
    user.is_verified = lambda: True  # as after the second factor, for a service called directly
    return user
