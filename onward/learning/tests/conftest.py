from typing import Any

import pytest

from onward.accounts.services import device_token_create, person_account_ensure
from onward.learning.tests.factories import demo_like_course
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory


@pytest.fixture
def learning_world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel", last_name="Hughes")
    other = PersonFactory(unit=org["wing_a"], first_name="Owen", last_name="Price")
    keyworker = make_staff(Role.KEY_WORKER, org["ngt"])
    pom = make_staff(Role.POM, org["ngt"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    outsider = make_staff(Role.KEY_WORKER, org["stn"])
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    community = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=community, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {
        "person": person,
        "user": person_account_ensure(person),
        "other": other,
        "other_user": person_account_ensure(other),
        "community": community,
        "keyworker": keyworker,
        "pom": pom,
        "practitioner": practitioner,
        "outsider": outsider,
        "course": demo_like_course(),
    }


@pytest.fixture
def token_for() -> Any:
    """A new device token for the given person, made through the service."""

    def make(person: Any, name: str = "Test phone") -> str:
        return device_token_create(actor=person_account_ensure(person), name=name).token

    return make
