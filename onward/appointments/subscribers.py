"""How appointments take part in what other apps do: text replies to reminders."""

from typing import Any

from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.appointments.models import Appointment, AppointmentState
from onward.appointments.services import appointment_confirm, appointment_rearrange_request
from onward.notifications.notify import reply_handler


@reply_handler
def appointment_reply(person: Any, meaning: str, body: str) -> bool:
    """A text reply confirms, or asks to rearrange, the person's next booked appointment."""
    appointment = (
        Appointment.objects.filter(person=person, state=AppointmentState.BOOKED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if appointment is None:
        return False
    account = person_account_ensure(person)
    if meaning == "confirm":
        appointment_confirm(actor=account, appointment=appointment)
    else:
        appointment_rearrange_request(actor=account, appointment=appointment, note=body)
    return True
