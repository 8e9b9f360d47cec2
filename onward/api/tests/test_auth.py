"""Who may call the API at all: device tokens for people, verified sessions for staff, CSRF on session writes."""

import pytest
from django.test import Client

from onward.accounts.models import DeviceToken
from onward.accounts.services import code_digest, person_account_ensure
from onward.api.tests.helpers import bearer
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db

API_PATHS = ["/api/v1/me", "/api/v1/caseload", "/api/v1/people/1", "/api/v1/devices"]


@pytest.mark.parametrize("path", API_PATHS)
def test_no_credentials_get_401_in_plain_words(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Sign in first.")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer onw_not-a-real-token", "Bearer ", "Bearer no-prefix-token", "Token onw_abc", "onw_abc"],
)
def test_unknown_or_malformed_tokens_get_401(org, token_for, authorization: str) -> None:
    token_for(PersonFactory(unit=org["wing_a"]))  # a real token exists, just not this one
    response = Client().get("/api/v1/me", headers={"Authorization": authorization})
    assert response.status_code == 401


def test_a_device_token_signs_a_person_in(org, token_for) -> None:
    person = PersonFactory(unit=org["wing_a"])
    response = Client().get("/api/v1/me", headers=bearer(token_for(person)))
    assert response.status_code == 200
    assert response.json()["id"] == person.pk


def test_staff_never_sign_in_with_a_device_token(org, make_staff) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    token = "onw_staff-token-made-outside-the-service"
    DeviceToken.objects.create(user=worker, name="Rogue", token_digest=code_digest("device", token))
    response = Client().get("/api/v1/caseload", headers=bearer(token))
    assert response.status_code == 401


def test_a_deactivated_persons_token_is_refused(org, token_for) -> None:
    person = PersonFactory(unit=org["wing_a"])
    token = token_for(person)
    account = person_account_ensure(person)
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_staff_session_counts_only_after_the_second_factor(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    password_only = Client()
    password_only.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    assert password_only.get("/api/v1/caseload").status_code == 401
    assert staff_client(worker).get("/api/v1/caseload").status_code == 200


def test_a_persons_session_counts_only_on_the_device_routes(org, person_client) -> None:
    client = person_client(CommunityPersonFactory(unit=org["office_n"]))
    assert client.get("/api/v1/devices").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_a_bad_token_is_not_rescued_by_a_session_cookie_beside_it(org, person_client) -> None:
    client = person_client(CommunityPersonFactory(unit=org["office_n"]))
    response = client.get("/api/v1/devices", headers=bearer("onw_revoked-or-wrong"))
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(org) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")

    refused = client.post("/api/v1/devices", {"name": "My phone"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not DeviceToken.objects.filter(user__person=person).exists()

    secret = "a" * 32  # CSRF_SECRET_LENGTH characters from the token alphabet
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        "/api/v1/devices", {"name": "My phone"}, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201
    assert DeviceToken.objects.filter(user__person=person, name="My phone").count() == 1


def test_token_writes_need_no_csrf_token(org, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/devices", {"name": "Tablet"}, content_type="application/json", headers=bearer(token_for(person))
    )
    assert response.status_code == 201
