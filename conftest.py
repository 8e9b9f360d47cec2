"""Shared fixtures for every test: an organisation, staff in each role, and signed-in clients.

Test settings live in config/settings_test.py.
"""

from typing import Any

import pytest
from django.test import Client

from onward.accounts.tests.factories import StaffFactory, StaffRoleFactory, TOTPDeviceFactory, totp_code
from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory, WingFactory


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en-gb"


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings: Any) -> None:
    """Each test counts its own sign-in tries and sends: a shared cache server (Redis) is not rolled back
    with the database, so a new key prefix keeps one test's counters from reaching the next."""
    import copy
    import uuid

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches


@pytest.fixture
def org(db: None) -> dict[str, Any]:
    """Two regions, each with a prison (two wings) and a PDU (one office)."""
    north = RegionFactory(code="NORTH", name="North")
    south = RegionFactory(code="SOUTH", name="South")
    ngt = PrisonFactory(code="NGT", name="HMP Northgate", parent=north)
    stn = PrisonFactory(code="STN", name="HMP Southtown", parent=south)
    pdu_n = PduFactory(code="PDU-N", name="Northgate PDU", parent=north)
    pdu_s = PduFactory(code="PDU-S", name="Southtown PDU", parent=south)
    return {
        "north": north,
        "south": south,
        "ngt": ngt,
        "stn": stn,
        "wing_a": WingFactory(code="NGT-A", name="A wing", parent=ngt),
        "wing_b": WingFactory(code="NGT-B", name="B wing", parent=ngt),
        "stn_wing": WingFactory(code="STN-A", name="Southtown A wing", parent=stn),
        "pdu_n": pdu_n,
        "pdu_s": pdu_s,
        "office_n": OfficeFactory(code="OFF-N", name="Northgate office", parent=pdu_n),
        "office_n2": OfficeFactory(code="OFF-N2", name="Northgate east office", parent=pdu_n),
        "office_s": OfficeFactory(code="OFF-S", name="Southtown office", parent=pdu_s),
    }


@pytest.fixture
def make_staff(db: None) -> Any:
    """A member of staff with a role and an authenticator, past their second factor (as in a request)."""

    def make(role: str, unit: Any, **kwargs: Any) -> Any:
        from onward.accounts.actors import staff_verified_by

        user = StaffFactory(**kwargs)
        StaffRoleFactory(user=user, role=role, unit=unit)
        return staff_verified_by(user, TOTPDeviceFactory(user=user))

    return make


@pytest.fixture
def staff_client() -> Any:
    """A client signed in as the given staff member, second factor included, through the real pages."""

    def sign_in(user: Any) -> Client:
        from onward.accounts.tests.factories import TEST_PASSWORD

        client = Client()
        response = client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.content[:500]
        device = user.totpdevice_set.get()
        response = client.post("/sign-in/code/", {"code": totp_code(device)})
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in


@pytest.fixture
def person_client() -> Any:
    """A client signed in as the given person (session login; the sign-in pages have their own tests)."""

    def sign_in(person: Any) -> Client:
        from onward.accounts.services import person_account_ensure

        client = Client()
        client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


class Clock:
    """The time `django.utils.timezone.now()` gives, moved by the test: nothing waits for real time."""

    def __init__(self, start: Any) -> None:
        self.now = start

    def move(self, **delta: float) -> Any:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    """A frozen clock, starting at the real time now, for code that reads `timezone.now()`."""
    from django.utils import timezone

    frozen = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen
