"""The person's appointments and the times they booked (their reminders are in the notifications section)."""

from django.db.models import Q

from onward.appointments.models import Appointment, CalendarFeed, Slot
from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person


@subject_access_section("appointments", covers=[Appointment, Slot])
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
