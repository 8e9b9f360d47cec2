"""The person's appointments, the times they booked, and how they are reminded."""

from django.db.models import Q

from onward.appointments.models import Appointment, CalendarFeed, Reminder, ReminderPreference, Slot
from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person


@subject_access_section("appointments", covers=[Appointment, ReminderPreference, Slot])
def appointments_section(person: Person) -> Section:
    account = getattr(person, "account", None)
    return Section(
        {
            "appointments": rows(
                Appointment.objects.filter(person=person).order_by("starts_at"),
                "id",
                "kind",
                "with_name",
                "staff__first_name",
                "staff__last_name",
                "address",
                "video_url",
                "starts_at",
                "ends_at",
                "compulsory",
                "state",
                "outcome_reason",
                "outcome_at",
                "confirmed_at",
                "rearrange_requested_at",
                "rearrange_request_note",
                "notes",
            ),
            "reminders": rows(
                Reminder.objects.filter(appointment__person=person).order_by("due_at"),
                "appointment_id",
                "due_at",
                "state",
                "channel",
                "sent_at",
            )
            + rows(
                Reminder.objects.filter(checkin__person=person).order_by("due_at"),
                "checkin_id",
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
            "times_offered_or_booked": rows(
                Slot.objects.filter(Q(booked_by=person) | Q(for_person=person)).order_by("starts_at"),
                "starts_at",
                "ends_at",
                "kind",
                "state",
                "booked_at",
            ),
            "calendar_feeds": rows(
                CalendarFeed.objects.filter(user=account).order_by("created_at"), "created_at", "revoked_at"
            )
            if account is not None
            else [],
        }
    )
