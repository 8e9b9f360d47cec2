"""Why a person needs attention, from their appointments (see `onward/people/attention.py`)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy

from onward.appointments.models import Appointment, AppointmentState
from onward.people.attention import AttentionMoment, attention_reason


@attention_reason("appointment_today", rank=50, label=gettext_lazy("Appointment today"))
def _today(moment: AttentionMoment) -> Exists:
    """An appointment still booked that starts today (London time), earlier today included: its outcome
    is still to record."""
    return Exists(
        Appointment.objects.filter(
            person=OuterRef("pk"),
            starts_at__gte=moment.day_starts,
            starts_at__lt=moment.day_ends,
            state=AppointmentState.BOOKED,
        )
    )
