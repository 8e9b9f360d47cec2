from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

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


class Clock:
    """Django's clock (timezone.now) moved forward by `advance`: for a clip that takes seconds to record."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


def clip_for_challenge(account: Any, checkin: Any, clock: Clock, make_clip: Any) -> Any:
    """Ask for a challenge as the page does, record make_clip(challenge) for it, and send it after the
    challenge's length has passed (as it would in life); returns the CheckInMedia."""
    from onward.checkins import services

    challenge = services.checkin_challenge_issue(actor=account, checkin=checkin)
    clip = make_clip(challenge)
    clock.advance(challenge.duration_ms / 1000 + 2)
    return services.checkin_media_add(
        actor=account, checkin=checkin, data=clip, challenge_nonce=challenge.nonce, recorded_at=challenge.issued_at
    )
