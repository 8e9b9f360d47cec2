"""Turning notifications on and off: the services, the person's page, and /api/v1/push-subscriptions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from onward.accounts.services import person_account_ensure
from onward.api.tests.helpers import bearer
from onward.audit.models import AuditEvent
from onward.notifications.models import PushSubscription
from onward.notifications.services import push_subscription_add, push_subscription_remove
from onward.notifications.tests.factories import PushSubscriptionFactory
from onward.notifications.tests.push_keys import browser_keys
from onward.organisations.models import Role
from onward.people.services import person_supervision_end
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def _add(account, endpoint: str = ENDPOINT) -> PushSubscription:
    keys = browser_keys()
    return push_subscription_add(
        actor=account, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth, user_agent="Test phone"
    )


# --- services ----------------------------------------------------------------------------------


def test_a_person_turns_notifications_on_and_off_and_both_are_audited(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)

    record = _add(account)
    assert record.user == account
    assert record.is_live
    assert AuditEvent.objects.filter(action="notifications.push_subscribed", person=person).count() == 1

    push_subscription_remove(actor=account, subscription=record)
    push_subscription_remove(actor=account, subscription=record)  # twice is not an error, nor a second event

    record.refresh_from_db()
    assert record.revoked_at is not None
    assert record.revoked_reason == "person"
    assert AuditEvent.objects.filter(action="notifications.push_unsubscribed", person=person).count() == 1


def test_the_same_browser_again_renews_its_one_subscription(org, vapid) -> None:
    account = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    first = _add(account)
    push_subscription_remove(actor=account, subscription=first)

    again = _add(account)

    assert again.pk == first.pk
    assert again.is_live
    assert PushSubscription.objects.count() == 1


def test_on_a_shared_phone_the_last_person_to_turn_notifications_on_gets_them(org, vapid) -> None:
    first = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    second = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    _add(first)

    record = _add(second)

    assert record.user == second
    assert not PushSubscription.objects.filter(user=first).exists()
    event = AuditEvent.objects.filter(action="notifications.push_subscribed").order_by("-seq").first()
    assert event is not None
    assert event.data["taken_over"] is True


def test_another_person_cannot_turn_off_my_notifications(org, vapid) -> None:
    mine = _add(person_account_ensure(CommunityPersonFactory(unit=org["office_n"])))
    someone_else = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))

    with pytest.raises(PermissionDenied):
        push_subscription_remove(actor=someone_else, subscription=mine)
    mine.refresh_from_db()
    assert mine.is_live


def test_staff_cannot_subscribe_or_turn_off_a_persons_notifications(org, vapid, make_staff) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    mine = _add(person_account_ensure(CommunityPersonFactory(unit=org["office_n"])))

    with pytest.raises(PermissionDenied):
        _add(practitioner, "https://fcm.googleapis.com/fcm/send/staff")
    with pytest.raises(PermissionDenied):
        push_subscription_remove(actor=practitioner, subscription=mine)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example.net/abc",  # not a push service we send to
        "http://fcm.googleapis.com/fcm/send/abc",  # not encrypted in transit
        "https://fcm.googleapis.com.evil.example/abc",  # only the host or a parent domain counts
        "http://10.0.0.5/internal",  # never a machine inside our network
    ],
)
def test_a_subscription_to_somewhere_else_is_refused(org, vapid, endpoint) -> None:
    account = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))

    with pytest.raises(ValidationError):
        _add(account, endpoint)
    assert not PushSubscription.objects.exists()


def test_keys_that_are_not_a_browsers_keys_are_refused(org, vapid) -> None:
    account = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    keys = browser_keys()

    with pytest.raises(ValidationError):
        push_subscription_add(actor=account, endpoint=ENDPOINT, p256dh=keys.auth, auth=keys.auth)
    with pytest.raises(ValidationError):
        push_subscription_add(actor=account, endpoint=ENDPOINT, p256dh=keys.p256dh, auth="not base64!")


def test_without_vapid_keys_nobody_can_subscribe(org, settings) -> None:
    settings.VAPID_PRIVATE_KEY = ""
    account = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))

    with pytest.raises(ValidationError):
        _add(account)


def test_ending_supervision_stops_notifications(org, vapid, make_staff) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    record = _add(person_account_ensure(person))
    senior = make_staff(Role.SENIOR, org["pdu_n"])

    person_supervision_end(actor=senior, person=person, reason="Licence expired")

    record.refresh_from_db()
    assert record.revoked_reason == "supervision_ended"


# --- the person's page -------------------------------------------------------------------------


def test_the_page_without_vapid_keys_says_push_is_not_available(org, person_client, settings) -> None:
    settings.VAPID_PUBLIC_KEY = ""
    response = person_client(CommunityPersonFactory(unit=org["office_n"])).get("/me/notifications/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "does not send notifications to phones yet" in body
    assert 'data-public-key=""' in body


def test_the_page_with_vapid_keys_gives_the_script_the_public_key(org, vapid, person_client) -> None:
    response = person_client(CommunityPersonFactory(unit=org["office_n"])).get("/me/notifications/")

    body = response.content.decode()
    assert f'data-public-key="{vapid.public}"' in body
    assert 'data-subscriptions-url="/api/v1/push-subscriptions"' in body
    # Without script the page still says plainly that notifications are not available here.
    assert "Notifications are not available on this phone or browser" in body
    assert vapid.private not in body


def test_the_page_lists_my_phones_and_turns_one_off_without_script(org, vapid, person_client) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    mine = PushSubscriptionFactory(user=account, user_agent="My Android phone")
    theirs = PushSubscriptionFactory(
        user=person_account_ensure(CommunityPersonFactory(unit=org["office_n"])), user_agent="Their phone"
    )
    client = person_client(person)

    page = client.get("/me/notifications/").content.decode()
    assert "My Android phone" in page
    assert "Their phone" not in page

    assert client.post(f"/me/notifications/{theirs.pk}/off/").status_code == 404
    response = client.post(f"/me/notifications/{mine.pk}/off/", follow=True)

    assert response.redirect_chain[-1][0] == "/me/notifications/"
    assert "Notifications are off for that phone or browser." in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert not mine.is_live
    assert theirs.is_live


def test_the_person_home_links_to_the_notifications_page(org, person_client) -> None:
    body = person_client(CommunityPersonFactory(unit=org["office_n"])).get("/me/").content.decode()
    assert 'href="/me/notifications/"' in body


# --- the API -----------------------------------------------------------------------------------


def _subscription_json(endpoint: str = ENDPOINT) -> dict:
    keys = browser_keys()
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}


def test_a_device_app_registers_lists_and_removes_a_subscription(org, vapid, token_for) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    token = token_for(person)
    client = Client()

    created = client.post(
        "/api/v1/push-subscriptions",
        _subscription_json(),
        content_type="application/json",
        headers={**bearer(token), "User-Agent": "Onward app 1.0"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["endpoint"] == ENDPOINT
    assert body["user_agent"] == "Onward app 1.0"
    assert PushSubscription.objects.get(pk=body["id"]).user.person_id == person.pk

    listed = client.get("/api/v1/push-subscriptions", headers=bearer(token))
    assert [s["id"] for s in listed.json()] == [body["id"]]

    removed = client.delete(f"/api/v1/push-subscriptions/{body['id']}", headers=bearer(token))
    assert removed.status_code == 204
    assert client.get("/api/v1/push-subscriptions", headers=bearer(token)).json() == []


def test_the_api_does_not_find_another_persons_subscription(org, vapid, token_for) -> None:
    theirs = PushSubscriptionFactory(user=person_account_ensure(CommunityPersonFactory(unit=org["office_n"])))
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))

    response = Client().delete(f"/api/v1/push-subscriptions/{theirs.pk}", headers=bearer(token))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_live


def test_the_web_app_registers_with_its_session_and_csrf_token(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/me/notifications/")
    csrf = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""

    without = client.post("/api/v1/push-subscriptions", _subscription_json(), content_type="application/json")
    with_token = client.post(
        "/api/v1/push-subscriptions",
        _subscription_json(),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert without.status_code in (401, 403)
    assert with_token.status_code == 201


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"endpoint": "https://push.example.net/x", "keys": _subscription_json()["keys"]}, 400),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": "no spaces allowed", "auth": "abc"}}, 422),
        ({"endpoint": ENDPOINT}, 422),
        ({**_subscription_json(), "extra": 1}, 422),
    ],
)
def test_the_api_refuses_a_subscription_it_cannot_use(org, vapid, token_for, payload, status) -> None:
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))

    response = Client().post(
        "/api/v1/push-subscriptions", payload, content_type="application/json", headers=bearer(token)
    )

    assert response.status_code == status
    assert response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_the_openapi_document_describes_push_subscriptions(org, token_for) -> None:
    token = token_for(CommunityPersonFactory(unit=org["office_n"]))
    document = Client().get("/api/v1/openapi.json", headers=bearer(token)).json()

    assert {"post", "get"} <= set(document["paths"]["/api/v1/push-subscriptions"])
    assert "delete" in document["paths"]["/api/v1/push-subscriptions/{subscription_id}"]
    schemas = document["components"]["schemas"]
    assert {"endpoint", "keys"} <= set(schemas["PushSubscriptionIn"]["properties"])
    assert {"id", "endpoint", "created_at"} <= set(schemas["PushSubscriptionOut"]["properties"])


# --- retention ---------------------------------------------------------------------------------


def test_subscriptions_turned_off_long_ago_are_deleted_and_live_ones_kept(org) -> None:
    import datetime as dt

    from django.utils import timezone

    from onward.notifications.services import PUSH_REVOKED_KEEP_DAYS, push_subscriptions_prune

    account = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    now = timezone.now()
    live = PushSubscriptionFactory(user=account)
    recent = PushSubscriptionFactory(user=account, revoked_at=now - dt.timedelta(days=PUSH_REVOKED_KEEP_DAYS - 1))
    old = PushSubscriptionFactory(user=account, revoked_at=now - dt.timedelta(days=PUSH_REVOKED_KEEP_DAYS + 1))

    assert push_subscriptions_prune(now=now) == {"deleted": 1}

    assert set(PushSubscription.objects.values_list("pk", flat=True)) == {live.pk, recent.pk}
    assert not PushSubscription.objects.filter(pk=old.pk).exists()
