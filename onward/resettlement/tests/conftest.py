from typing import Any

import pytest

from onward.accounts.services import person_account_ensure
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory


@pytest.fixture
def plan_world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A person in custody at Northgate with their POM and key worker, another person, and outsiders."""
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel", last_name="Hughes")
    other = PersonFactory(unit=org["wing_a"], first_name="Owen", last_name="Price")
    pom = make_staff(Role.POM, org["ngt"], first_name="Paula", last_name="Marsh")
    keyworker = make_staff(Role.KEY_WORKER, org["ngt"])
    security = make_staff(Role.SECURITY, org["ngt"])
    outsider = make_staff(Role.POM, org["stn"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Pat", last_name="Smith")
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    return {
        "org": org,
        "person": person,
        "user": person_account_ensure(person),
        "other": other,
        "other_user": person_account_ensure(other),
        "pom": pom,
        "keyworker": keyworker,
        "security": security,
        "outsider": outsider,
        "practitioner": practitioner,
    }
