"""The person chooses how and when they are reminded; reminders not yet sent follow at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.appointments.reminders import APPOINTMENT_REMINDERS
from onward.appointments.tests.factories import AppointmentFactory
from onward.audit.models import AuditEvent
from onward.notifications.models import Reminder, ReminderPreference, ReminderState
from onward.notifications.reminders import ReminderSettings, reminder_preference_save, reminders_plan_for
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def _settings(**changes):
    values = {"channel": "email", "offsets_minutes": [24 * 60], "quiet_start": dt.time(22), "quiet_end": dt.time(7)}
    return ReminderSettings(**{**values, **changes})


@pytest.fixture
def person(org):
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900123", email="ceri@example.org")
    person_account_ensure(person)
    return person


def test_saving_plans_the_unsent_reminders_again_and_keeps_the_sent_ones(person):
    appointment = AppointmentFactory(person=person, starts_at=timezone.now() + dt.timedelta(days=5))
    sent = AppointmentFactory(person=person, starts_at=timezone.now() + dt.timedelta(days=4))
    reminders_plan_for(APPOINTMENT_REMINDERS, [appointment, sent])
    assert sorted(
        Reminder.objects.filter(kind="appointment", object_id=appointment.pk).values_list("offset_minutes", flat=True)
    ) == [
        120,
        2880,
    ]
    Reminder.objects.filter(kind="appointment", object_id=sent.pk, offset_minutes=2880).update(state=ReminderState.SENT)

    reminder_preference_save(actor=person.account, person=person, wanted=_settings())

    preference = ReminderPreference.objects.get(person=person)
    assert (preference.channel, preference.offsets_minutes) == ("email", [1440])
    assert (preference.quiet_start, preference.quiet_end) == (dt.time(22), dt.time(7))
    planned = Reminder.objects.filter(kind="appointment", object_id=appointment.pk, state=ReminderState.PLANNED)
    assert list(planned.values_list("offset_minutes", flat=True)) == [1440]
    assert (
        Reminder.objects.filter(
            kind="appointment", object_id=sent.pk, state=ReminderState.SENT, offset_minutes=2880
        ).count()
        == 1
    )
    assert list(
        Reminder.objects.filter(kind="appointment", object_id=sent.pk, state=ReminderState.PLANNED).values_list(
            "offset_minutes", flat=True
        )
    ) == [1440]
    event = AuditEvent.objects.get(action="appointment.reminder_preference_saved")
    assert event.data["after"]["channel"] == "email"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": "push"}, "turn on notifications"),
        ({"offsets_minutes": []}, "at least one time"),
        ({"offsets_minutes": [17]}, "from the list"),
        ({"quiet_start": dt.time(8), "quiet_end": dt.time(8)}, "different times"),
    ],
)
def test_a_choice_that_cannot_work_is_refused_in_plain_words(person, changes, message):
    with pytest.raises(ValidationError, match=message):
        reminder_preference_save(actor=person.account, person=person, wanted=_settings(**changes))
    assert not ReminderPreference.objects.filter(person=person).exists()


def test_text_messages_need_a_mobile_number(org):
    person = CommunityPersonFactory(unit=org["office_n"], phone="")
    account = person_account_ensure(person)
    with pytest.raises(ValidationError, match="mobile number"):
        reminder_preference_save(actor=account, person=person, wanted=_settings(channel="sms"))


def test_nobody_else_can_change_a_persons_reminders(person, org):
    other = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reminder_preference_save(actor=other, person=person, wanted=_settings())


def test_the_page_shows_the_current_choice_and_saves(person, person_client):
    client = person_client(person)
    page = client.get("/me/appointments/reminders/").content.decode()
    assert "How we remind you" in page
    assert 'value="sms" checked' in page  # the default way, until they choose

    response = client.post(
        "/me/appointments/reminders/",
        {"channel": "email", "offsets": ["2880", "60"], "quiet_start": "21", "quiet_end": "8"},
    )
    assert response.status_code == 302
    assert ReminderPreference.objects.get(person=person).offsets_minutes == [2880, 60]

    refused = client.post("/me/appointments/reminders/", {"channel": "email", "quiet_start": "21", "quiet_end": "8"})
    assert refused.status_code == 400
    assert "Choose at least one time to be reminded." in refused.content.decode()
