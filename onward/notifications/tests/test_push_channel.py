"""PushChannel against a real push service on 127.0.0.1: the request pywebpush sends, and what its answers do."""

import json
import time

import http_ece
import jwt
import pytest
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.appointments.reminders import APPOINTMENT_REMINDERS
from onward.audit.models import AuditEvent
from onward.notifications.channels import ChannelError, PushChannel, channel_for
from onward.notifications.delivery import Outcome, outbox_deliver
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus, PushSubscription, ReminderPreference
from onward.notifications.services import contact_for, notification_queue
from onward.notifications.tests.factories import PushSubscriptionFactory
from onward.notifications.tests.push_keys import BrowserKeys, browser_keys
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def _subscribed(user, endpoint: str) -> BrowserKeys:
    keys = browser_keys()
    PushSubscriptionFactory(user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth)
    return keys


def _queue_push(person, body: str = "Reminder: drug test on Monday 3 March, 10:00.") -> OutboxMessage:
    account = person_account_ensure(person)
    return notification_queue(
        channel=Channel.PUSH,
        recipient=str(account.pk),
        user=account,
        person=person,
        subject="Appointment reminder",
        body=body,
        idempotency_key=f"test-push:{person.pk}:{body[:20]}",
    )


def test_a_push_message_reaches_the_push_service_signed_and_encrypted(org, vapid, push_service, settings) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    keys = _subscribed(account, push_service.endpoint("phone-1"))
    message = _queue_push(person)

    assert outbox_deliver(message.pk) == Outcome.SENT

    assert len(push_service.received) == 1
    request = push_service.received[0]
    assert request.method == "POST"
    assert request.path == "/push/phone-1"
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(settings.PUSH_TTL_SECONDS)

    scheme, _space, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.split("=", 1) for part in params.split(","))
    assert parts["k"] == vapid.public  # our public key, as the browser was given it
    claims = jwt.decode(
        parts["t"], vapid.private_key.public_key(), algorithms=["ES256"], audience=push_service.origin
    )  # raises unless our private key signed it for this push service's origin
    assert claims["sub"] == "mailto:onward-team@example.org"
    assert time.time() < claims["exp"] <= time.time() + 24 * 60 * 60

    plain = http_ece.decrypt(
        request.body, private_key=keys.private_key, auth_secret=keys.auth_secret, version="aes128gcm"
    )
    assert json.loads(plain) == {
        "title": "Appointment reminder",
        "body": "Reminder: drug test on Monday 3 March, 10:00.",
        "url": "/",
        "tag": f"outbox-{message.pk}",
    }
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.provider_reference == f"push:{message.pk}:1"
    assert PushSubscription.objects.get().last_used_at is not None


def test_each_live_subscription_gets_its_own_encryption(org, vapid, push_service) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    phone = _subscribed(account, push_service.endpoint("phone"))
    laptop = _subscribed(account, push_service.endpoint("laptop"))
    old = _subscribed(account, push_service.endpoint("old"))
    PushSubscription.objects.filter(endpoint=push_service.endpoint("old")).update(revoked_at=timezone.now())
    message = _queue_push(person)

    assert outbox_deliver(message.pk) == Outcome.SENT

    by_path = {r.path: r for r in push_service.received}
    assert set(by_path) == {"/push/phone", "/push/laptop"}
    for keys, path in ((phone, "/push/phone"), (laptop, "/push/laptop")):
        plain = http_ece.decrypt(
            by_path[path].body, private_key=keys.private_key, auth_secret=keys.auth_secret, version="aes128gcm"
        )
        assert json.loads(plain)["tag"] == f"outbox-{message.pk}"
    with pytest.raises(http_ece.ECEException):  # the revoked browser's key cannot open the phone's copy
        http_ece.decrypt(
            by_path["/push/phone"].body, private_key=old.private_key, auth_secret=old.auth_secret, version="aes128gcm"
        )


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_has_gone_is_revoked(org, vapid, push_service, status) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    _subscribed(account, push_service.endpoint("gone"))
    _subscribed(account, push_service.endpoint("working"))
    push_service.status_by_path["/push/gone"] = status
    message = _queue_push(person)

    assert outbox_deliver(message.pk) == Outcome.SENT

    gone = PushSubscription.objects.get(endpoint=push_service.endpoint("gone"))
    assert gone.revoked_at is not None
    assert gone.revoked_reason == "gone"
    assert PushSubscription.objects.get(endpoint=push_service.endpoint("working")).revoked_at is None
    assert AuditEvent.objects.filter(action="notifications.push_gone", person=person).count() == 1


def test_a_push_service_error_fails_the_attempt_so_the_worker_retries(org, vapid, push_service) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    _subscribed(person_account_ensure(person), push_service.endpoint("phone"))
    push_service.default_status = 500
    message = _queue_push(person)

    with pytest.raises(ChannelError, match="500"):
        PushChannel().send(message)
    assert outbox_deliver(message.pk) == Outcome.RETRY

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error.startswith("ChannelError")
    assert PushSubscription.objects.get().revoked_at is None  # a server error is not "gone"


def test_one_phone_taking_it_is_enough_so_the_other_never_gets_it_twice(org, vapid, push_service) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    _subscribed(account, push_service.endpoint("broken"))
    _subscribed(account, push_service.endpoint("working"))
    push_service.status_by_path["/push/broken"] = 503
    message = _queue_push(person)

    assert outbox_deliver(message.pk) == Outcome.SENT
    assert outbox_deliver(message.pk) == Outcome.SKIPPED  # sent: never claimed again

    assert sorted(r.path for r in push_service.received) == ["/push/broken", "/push/working"]
    assert PushSubscription.objects.filter(revoked_at__isnull=True).count() == 2


def test_an_unreachable_push_service_fails_the_attempt(org, vapid, push_service) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    _subscribed(person_account_ensure(person), push_service.endpoint("phone"))
    push_service.stop()  # nothing listens on the port any more
    message = _queue_push(person)

    with pytest.raises(ChannelError, match="ConnectionError"):
        PushChannel().send(message)


def test_when_every_phone_has_gone_the_words_go_by_text_instead(org, vapid, push_service) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900123")
    _subscribed(person_account_ensure(person), push_service.endpoint("gone"))
    push_service.default_status = 410
    message = _queue_push(person, body="Reminder: supervision on Tuesday, 14:00.")

    assert outbox_deliver(message.pk) == Outcome.SENT

    fallback = OutboxMessage.objects.get(idempotency_key=f"push-fallback:{message.pk}")
    assert fallback.channel == Channel.SMS
    assert fallback.recipient == "07700900123"
    assert fallback.body == "Reminder: supervision on Tuesday, 14:00."
    message.refresh_from_db()
    assert message.provider_reference == f"fallback:sms:{fallback.pk}"


def test_push_without_vapid_keys_goes_the_persons_other_way(org, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.VAPID_PRIVATE_KEY = ""
    person = CommunityPersonFactory(unit=org["office_n"], phone="", email="p@example.org")
    message = _queue_push(person)

    assert isinstance(channel_for(Channel.PUSH), PushChannel)
    reference = PushChannel().send(message)

    fallback = OutboxMessage.objects.get(idempotency_key=f"push-fallback:{message.pk}")
    assert (fallback.channel, fallback.recipient) == (Channel.EMAIL, "p@example.org")
    assert reference == f"fallback:email:{fallback.pk}"


def test_push_to_someone_with_no_live_phone_and_no_address_lands_in_the_app(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], phone="", email="")
    account = person_account_ensure(person)
    PushSubscriptionFactory(user=account, revoked_at=timezone.now())
    message = _queue_push(person)

    assert outbox_deliver(message.pk) == Outcome.SENT

    fallback = OutboxMessage.objects.get(idempotency_key=f"push-fallback:{message.pk}")
    assert (fallback.channel, fallback.recipient, fallback.user) == (Channel.IN_APP, str(account.pk), account)


# --- choosing push: the preferred channel, with fallback -----------------------------------------


def _prefers(person, channel: str) -> None:
    ReminderPreference.objects.create(person=person, channel=channel)
    person.refresh_from_db()


def test_a_person_who_prefers_push_and_has_a_phone_subscribed_gets_push(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    PushSubscriptionFactory(user=account)
    _prefers(person, "push")

    assert contact_for(person) == ("push", str(account.pk))


def test_a_person_who_prefers_push_without_a_live_subscription_gets_a_text(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900222")
    account = person_account_ensure(person)
    PushSubscriptionFactory(user=account, revoked_at=timezone.now())
    _prefers(person, "push")

    assert contact_for(person) == ("sms", "07700900222")


def test_push_is_never_chosen_when_the_vapid_keys_are_not_set(org, settings) -> None:
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = settings.VAPID_SUBJECT = ""
    person = CommunityPersonFactory(unit=org["office_n"], phone="", email="someone@example.org")
    PushSubscriptionFactory(user=person_account_ensure(person))
    _prefers(person, "push")

    assert contact_for(person) == ("email", "someone@example.org")


def test_push_comes_before_in_app_when_there_is_no_phone_number_or_email(org, vapid) -> None:
    person = CommunityPersonFactory(unit=org["office_n"], phone="", email="")
    account = person_account_ensure(person)
    _prefers(person, "sms")
    assert contact_for(person) == ("in_app", "")

    PushSubscriptionFactory(user=account)
    assert contact_for(person) == ("push", str(account.pk))


def test_a_reminder_for_a_person_who_prefers_push_reaches_their_phone(org, vapid, push_service) -> None:
    import datetime as dt

    from onward.appointments.tests.factories import AppointmentFactory, ReminderPreferenceFactory
    from onward.notifications.models import Reminder
    from onward.notifications.reminders import reminders_plan_for, reminders_send_batch

    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900333")
    keys = _subscribed(person_account_ensure(person), push_service.endpoint("phone"))
    ReminderPreferenceFactory(person=person, channel="push", offsets_minutes=[60])
    appointment = AppointmentFactory(person=person)
    assert reminders_plan_for(APPOINTMENT_REMINDERS, [appointment]) == 1

    sent, skipped = reminders_send_batch(now=appointment.starts_at - dt.timedelta(minutes=30))

    assert (sent, skipped) == (1, 0)
    assert Reminder.objects.get().channel == "push"
    message = OutboxMessage.objects.get(idempotency_key__startswith="appointment-reminder:")
    assert message.status == OutboxStatus.SENT
    assert len(push_service.received) == 1
    plain = http_ece.decrypt(
        push_service.received[0].body, private_key=keys.private_key, auth_secret=keys.auth_secret, version="aes128gcm"
    )
    payload = json.loads(plain)
    assert payload["title"] == "Appointment reminder"
    assert payload["body"] == message.body
    assert payload["body"].startswith("Reminder: ")
