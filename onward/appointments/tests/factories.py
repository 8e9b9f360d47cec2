import datetime as dt

import factory
from django.utils import timezone

from onward.appointments.models import Appointment, AppointmentKind, Slot
from onward.notifications.models import ReminderPreference
from onward.people.tests.factories import CommunityPersonFactory


def _next_weekday_at(hour: int, days: int = 3) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class AppointmentFactory(factory.django.DjangoModelFactory[Appointment]):
    """A booked supervision appointment in three days' time at 10:00 London time, at the office."""

    class Meta:
        model = Appointment

    person = factory.SubFactory(CommunityPersonFactory)
    kind = AppointmentKind.SUPERVISION
    with_name = "Probation practitioner"
    address = "Northgate probation office, 2 High Street, NG1 2AB"
    starts_at = factory.LazyFunction(lambda: _next_weekday_at(10))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(minutes=45))
    compulsory = True


class ReminderPreferenceFactory(factory.django.DjangoModelFactory[ReminderPreference]):
    class Meta:
        model = ReminderPreference

    person = factory.SubFactory(CommunityPersonFactory)
    channel = "sms"


class SlotFactory(factory.django.DjangoModelFactory[Slot]):
    """An open 30-minute supervision slot in three days' time at 10:00 London time. Give it `staff`."""

    class Meta:
        model = Slot

    kind = AppointmentKind.SUPERVISION
    address = "Northgate probation office, 2 High Street, NG1 2AB"
    starts_at = factory.LazyFunction(lambda: _next_weekday_at(10))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(minutes=30))
