import factory

from onward.notifications.models import Channel, OutboxMessage, PushSubscription
from onward.notifications.tests.push_keys import browser_keys


class OutboxMessageFactory(factory.django.DjangoModelFactory[OutboxMessage]):
    """A pending text message, due now."""

    class Meta:
        model = OutboxMessage

    channel = Channel.SMS
    recipient = factory.Sequence(lambda n: f"07700{900000 + n:06d}"[:11])
    subject = ""
    body = "Your appointment is at 10:00 tomorrow."


class PushSubscriptionFactory(factory.django.DjangoModelFactory[PushSubscription]):
    """A live subscription with a real browser key pair (pass `user`; the keys are in `browser_keys`)."""

    class Meta:
        model = PushSubscription
        exclude = ["browser"]

    browser = factory.LazyFunction(browser_keys)
    endpoint = factory.Sequence(lambda n: f"https://fcm.googleapis.com/fcm/send/test-{n}")
    p256dh = factory.LazyAttribute(lambda o: o.browser.p256dh)
    auth = factory.LazyAttribute(lambda o: o.browser.auth)
    user_agent = "Mozilla/5.0 (Linux; Android 14) Test"
