from datetime import UTC, datetime, time
from typing import Any

import pytest

from onward.curfew.models import CurfewTerms
from onward.curfew.services import CurfewSpec, ZoneSpec, curfew_terms_set
from onward.curfew.windows import Window
from onward.location.zones import circle_feature
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

# Synthetic places, made up for these tests: a home in Leeds and, 2 km east, a street to keep out of.
HOME = (53.7960, -1.5479)
KEEP_OUT = (53.7960, -1.5180)


def verified(user: Any) -> Any:
    user.is_verified = lambda: True  # as after the second factor, for a service called directly
    return user


@pytest.fixture
def case(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], address_latitude=HOME[0], address_longitude=HOME[1])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {
        "practitioner": verified(practitioner),
        "person": person,
        "stranger": verified(make_staff(Role.PRACTITIONER, org["office_s"])),
    }


def every_night(start: time = time(19), end: time = time(7)) -> list[Window]:
    return [Window(day, start, end) for day in range(7)]


def keep_out_zone(radius_m: float = 300) -> ZoneSpec:
    return ZoneSpec(
        kind="exclusion",
        geojson=circle_feature(*KEEP_OUT, radius_m),
        label="Synthetic victim's street",
        description="The streets around the market",
        description_cy="Y strydoedd o gwmpas y farchnad",
    )


# The terms in the tests were issued at the start of 2026, before any fix the tests send.
ISSUED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def terms(case: dict[str, Any]) -> Any:
    made = curfew_terms_set(
        actor=case["practitioner"],
        person=case["person"],
        curfew=CurfewSpec(
            address="1 Synthetic Street\nLeeds", latitude=HOME[0], longitude=HOME[1], windows=every_night()
        ),
        zones=[keep_out_zone()],
    )
    CurfewTerms.objects.filter(pk=made.pk).update(issued_at=ISSUED)
    made.refresh_from_db()
    return made


@pytest.fixture
def token_for() -> Any:
    from onward.accounts.services import device_token_create, person_account_ensure

    def make(person: Any, name: str = "Synthetic phone") -> str:
        return device_token_create(actor=person_account_ensure(person), name=name).token

    return make
