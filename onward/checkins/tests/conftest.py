from pathlib import Path
from typing import Any

import pytest

from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

FIXTURES = Path(__file__).resolve().parents[2] / "biometrics" / "tests" / "fixtures"
HOME = (53.8008, -1.5491)  # a home in the fictional Northgate


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def photo() -> Any:
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read


@pytest.fixture
def case(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A person on licence in the Northgate office with their practitioner, and a practitioner elsewhere."""
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], address_latitude=HOME[0], address_longitude=HOME[1])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {
        "person": person,
        "practitioner": practitioner,
        "other_practitioner": make_staff(Role.PRACTITIONER, org["office_s"]),
        "other_person": CommunityPersonFactory(unit=org["office_s"]),
        "senior": make_staff(Role.SENIOR, org["pdu_n"]),
    }


@pytest.fixture(autouse=True)
def _questionnaire(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    request.getfixturevalue("transactional_db" if transactional else "db")
    from onward.checkins.tests.factories import questionnaire_ensure

    questionnaire_ensure()
