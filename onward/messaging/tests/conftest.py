from typing import Any

import pytest

from onward.accounts.services import person_account_ensure
from onward.messaging.models import ScreeningPolicy
from onward.messaging.tests.factories import TermFactory, WordListFactory
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory


@pytest.fixture
def msg_world(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A person in custody with a key worker, another person on the same wing, one on B wing, one in the community."""
    keyworker = make_staff(Role.KEY_WORKER, org["ngt"])
    security = make_staff(Role.SECURITY, org["ngt"])
    other_security = make_staff(Role.SECURITY, org["stn"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = PersonFactory(unit=org["wing_a"])
    neighbour = PersonFactory(unit=org["wing_a"])
    b_wing = PersonFactory(unit=org["wing_b"])
    community = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=keyworker, role=AssignmentRole.KEY_WORKER)
    StaffAssignmentFactory(person=community, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    word_list = WordListFactory(unit=org["ngt"], policy=ScreeningPolicy.HOLD)
    TermFactory(word_list=word_list, text="parcel")
    TermFactory(word_list=word_list, kind="phrase", text="over the wall")
    TermFactory(word_list=word_list, kind="pattern", text="uk_phone_number")
    return {
        "org": org,
        "keyworker": keyworker,
        "security": security,
        "other_security": other_security,
        "practitioner": practitioner,
        "person": person,
        "person_user": person_account_ensure(person),
        "neighbour": neighbour,
        "neighbour_user": person_account_ensure(neighbour),
        "b_wing": b_wing,
        "community": community,
        "community_user": person_account_ensure(community),
        "word_list": word_list,
    }
