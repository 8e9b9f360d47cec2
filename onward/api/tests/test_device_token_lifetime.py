"""Device tokens run out (lifetime, idle limit, shorter in custody) and are replaced as they are used.

The clock is moved (the `clock` fixture), never waited for.
"""

import pytest
from django.test import Client

from onward.accounts.models import DeviceToken, SignInAttempt
from onward.api.auth import NEW_TOKEN_HEADER
from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _me(token: str) -> tuple[int, str]:
    """Call the API once with a token: the status, and the token to use next (the new one if given)."""
    response = Client().get("/api/v1/me", headers=bearer(token))
    return response.status_code, response.headers.get(NEW_TOKEN_HEADER, "") or token


def test_a_community_token_stops_after_its_idle_limit(org, token_for, clock, settings) -> None:
    settings.DEVICE_TOKEN_IDLE_DAYS = 14
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    clock.move(days=13)
    status, token = _me(token)
    assert status == 200
    clock.move(days=14, minutes=1)
    assert _me(token)[0] == 401
    assert DeviceToken.objects.get().revoked_at is not None
    assert SignInAttempt.objects.filter(reason="idle", succeeded=False).exists()


def test_a_custody_token_follows_the_custody_idle_limit(org, token_for, clock, settings) -> None:
    assert settings.CUSTODY_DEVICE_TOKEN_IDLE_MINUTES == settings.CUSTODY_SESSION_IDLE_MINUTES == 10
    token = token_for(PersonFactory(unit=org["wing_a"]))
    for _ in range(3):  # used every 9 minutes, it keeps working
        clock.move(minutes=9)
        status, token = _me(token)
        assert status == 200
    clock.move(minutes=11)
    assert _me(token)[0] == 401


def test_a_token_stops_at_the_end_of_its_lifetime_however_often_it_is_used(org, token_for, clock, settings) -> None:
    settings.DEVICE_TOKEN_LIFETIME_DAYS = 30
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    for _ in range(29):
        clock.move(days=1)
        status, token = _me(token)
        assert status == 200
    clock.move(days=1)
    assert _me(token)[0] == 401


def test_a_custody_token_has_a_shorter_lifetime(org, token_for, clock, settings) -> None:
    settings.CUSTODY_DEVICE_TOKEN_LIFETIME_HOURS = 1
    token = token_for(PersonFactory(unit=org["wing_a"]))
    for _ in range(5):
        clock.move(minutes=9)
        status, token = _me(token)
        assert status == 200
    clock.move(minutes=16)  # 61 minutes after it was added, used 16 minutes ago
    settings.CUSTODY_DEVICE_TOKEN_IDLE_MINUTES = 30  # so only the lifetime can refuse it
    assert _me(token)[0] == 401


def test_a_used_token_is_replaced_and_the_old_one_works_only_for_its_grace(org, token_for, clock, settings) -> None:
    settings.DEVICE_TOKEN_ROTATE_MINUTES = 5
    settings.DEVICE_TOKEN_GRACE_SECONDS = 120
    old = token_for(CommunityPersonFactory(unit=org["office_n"]))
    response = Client().get("/api/v1/me", headers=bearer(old))
    assert response.status_code == 200
    assert NEW_TOKEN_HEADER not in response.headers  # too young to replace

    clock.move(minutes=6)
    response = Client().get("/api/v1/me", headers=bearer(old))
    assert response.status_code == 200
    new = response.headers[NEW_TOKEN_HEADER]
    assert new.startswith("onw_")
    assert new != old
    assert "no-store" in response.headers["Cache-Control"]

    # A call that was on its way with the old token (or an answer the app never got): the same new token.
    clock.move(seconds=60)
    again = Client().get("/api/v1/me", headers=bearer(old))
    assert again.status_code == 200
    assert again.headers[NEW_TOKEN_HEADER] == new
    assert Client().get("/api/v1/me", headers=bearer(new)).status_code == 200

    # After the grace, the old token coming back means a copy: the device stops, new token and all.
    clock.move(seconds=61)
    assert Client().get("/api/v1/me", headers=bearer(old)).status_code == 401
    assert Client().get("/api/v1/me", headers=bearer(new)).status_code == 401
    assert AuditEvent.objects.filter(action="account.device_token_revoked", actor__isnull=True).exists()


def test_every_use_replaces_the_token_when_asked_to(org, token_for, settings) -> None:
    settings.DEVICE_TOKEN_ROTATE_MINUTES = 0
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    seen = {token}
    for _ in range(3):
        status, token = _me(token)
        assert status == 200
        seen.add(token)
    assert len(seen) == 4
    assert DeviceToken.objects.get().generation == 3


def test_the_openapi_document_tells_the_app_how_tokens_are_replaced(org, token_for) -> None:
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    document = Client().get("/api/v1/openapi.json", headers=bearer(token)).json()
    schemes = document["components"]["securitySchemes"]
    described = " ".join(scheme.get("description", "") for scheme in schemes.values())
    assert NEW_TOKEN_HEADER in described


def test_a_device_that_ran_out_is_no_longer_listed(org, token_for, clock, settings) -> None:
    settings.DEVICE_TOKEN_IDLE_DAYS = 14
    person = CommunityPersonFactory(unit=org["office_n"])
    token_for(person, name="Old phone")
    clock.move(days=15)
    current = token_for(person, name="New phone")
    listed = Client().get("/api/v1/devices", headers=bearer(current)).json()
    assert [device["name"] for device in listed] == ["New phone"]
