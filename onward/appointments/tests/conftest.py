from typing import Any

import pytest

from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory


@pytest.fixture
def case(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A practitioner at the Northgate office with one person on their caseload, and one person elsewhere."""
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Pat", last_name="Smith")
    person = CommunityPersonFactory(unit=org["office_n"], email="", phone="07700123456")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    other = CommunityPersonFactory(unit=org["office_s"])
    return {"practitioner": practitioner, "person": person, "other": other, "org": org}
