"""What was sent to the person (in the app, by text, email or push) and the texts they sent back."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.notifications.models import InboundSms, OutboxMessage, PushSubscription
from onward.people.models import Person


@subject_access_section("notifications", covers=[OutboxMessage, InboundSms])
def notifications_section(person: Person) -> Section:
    account = getattr(person, "account", None)
    return Section(
        {
            "sent": rows(
                OutboxMessage.objects.filter(person=person).order_by("created_at"),
                "created_at",
                "channel",
                "recipient",
                "subject",
                "body",
                "status",
                "sent_at",
                "read_at",
            ),
            "texts_received": rows(
                InboundSms.objects.filter(person=person).order_by("received_at"),
                "received_at",
                "source_number",
                "body",
                "understood_as",
            ),
            "phones_with_notifications": rows(
                PushSubscription.objects.filter(user=account).order_by("created_at"),
                "user_agent",
                "created_at",
                "last_used_at",
                "revoked_at",
            )
            if account is not None
            else [],
        }
    )
