"""What was sent to the person (in the app, by text, email or push), their reminders, and the texts they sent back."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.notifications.models import InboundSms, OutboxMessage, PushSubscription, Reminder, ReminderPreference
from onward.people.models import Person


@subject_access_section("notifications", covers=[OutboxMessage, InboundSms, Reminder, ReminderPreference])
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
            "reminders": rows(
                Reminder.objects.filter(person=person).order_by("due_at"),
                "kind",
                "object_id",
                "due_at",
                "state",
                "channel",
                "sent_at",
            ),
            "reminder_preference": rows(
                ReminderPreference.objects.filter(person=person),
                "channel",
                "offsets_minutes",
                "quiet_start",
                "quiet_end",
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
