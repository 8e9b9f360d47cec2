import factory

from onward.notifications.models import Channel, OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory[OutboxMessage]):
    """A pending text message, due now."""

    class Meta:
        model = OutboxMessage

    channel = Channel.SMS
    recipient = factory.Sequence(lambda n: f"07700{900000 + n:06d}"[:11])
    subject = ""
    body = "Your appointment is at 10:00 tomorrow."
