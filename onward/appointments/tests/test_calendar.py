import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from onward.accounts.services import person_account_ensure
from onward.appointments.calendar import calendar_feed_issue, calendar_feed_revoke, calendar_render
from onward.appointments.models import Appointment, CalendarFeed
from onward.appointments.tests.factories import AppointmentFactory

LONDON = ZoneInfo("Europe/London")


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31)),
    minute=st.integers(min_value=6 * 60, max_value=21 * 60),
)
def test_feed_times_keep_the_london_wall_clock_across_bst_and_gmt(day, minute):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)), LONDON)
    appointment = Appointment(
        pk=1, kind="supervision", address="Office", starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    parsed = Calendar.from_ical(calendar_render(None, [appointment]))
    event = next(iter(parsed.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(0)  # sent in UTC
    local = start.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (day, minute // 60, minute % 60)
    assert event.decoded("dtend") - start == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_a_person_gets_a_private_revocable_feed_of_their_own_appointments(case):
    mine = AppointmentFactory(person=case["person"])
    AppointmentFactory(person=case["other"])
    account = person_account_ensure(case["person"])
    path = calendar_feed_issue(actor=account)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_digest__contains=token).exists()  # only a digest is stored
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"appointment-{mine.pk}@onward"]
    # A new address replaces the old; revoking stops it.
    second = calendar_feed_issue(actor=account)
    assert Client().get(path).status_code == 404
    calendar_feed_revoke(actor=account)
    assert Client().get(second).status_code == 404


@pytest.mark.django_db
def test_a_staff_feed_shows_the_appointments_they_are_with(case):
    practitioner = case["practitioner"]
    with_them = AppointmentFactory(person=case["person"], staff=practitioner)
    AppointmentFactory(person=case["person"])
    response = Client().get(calendar_feed_issue(actor=practitioner))
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"appointment-{with_them.pk}@onward"]
    assert case["person"].reference in str(events[0]["summary"])


@pytest.mark.django_db
def test_an_unknown_feed_address_is_not_found(db):
    assert Client().get("/calendar/not-a-real-token.ics").status_code == 404
