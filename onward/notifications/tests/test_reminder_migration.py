"""The reminders and reminder preferences of a running service survive their move into notifications."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("appointments", "0004_reminder_channel_push"), ("notifications", "0004_push_subscription")]
AFTER = [("appointments", "0006_reminders_to_notifications"), ("notifications", "0005_reminders")]


@pytest.mark.django_db(transaction=True)
def test_reminders_and_preferences_move_with_their_ids_and_states() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # only these two apps step back; the rest stay as they are
    executor.loader.build_graph()
    old = executor._create_project_state(with_applied_migrations=True).apps
    unit = old.get_model("organisations", "OrgUnit").objects.create(kind="region", code="R1", name="Region", path="/")
    person = old.get_model("people", "Person").objects.create(
        crn="X100009",
        first_name="Test",
        last_name="Person",
        date_of_birth=dt.date(1990, 1, 1),
        status="licence",
        unit=unit,
    )
    starts = timezone.now() + dt.timedelta(days=3)
    appointment = old.get_model("appointments", "Appointment").objects.create(
        person=person,
        kind="supervision",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        address="1 Test Street",
    )
    reminder_model = old.get_model("appointments", "Reminder")
    planned = reminder_model.objects.create(appointment=appointment, offset_minutes=120, due_at=starts)
    sent = reminder_model.objects.create(
        appointment=appointment, offset_minutes=2880, due_at=starts, state="sent", channel="sms", sent_at=starts
    )
    old.get_model("appointments", "ReminderPreference").objects.create(person=person, channel="email")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor._create_project_state(with_applied_migrations=True).apps
    moved = {r.pk: r for r in new.get_model("notifications", "Reminder").objects.all()}
    assert set(moved) == {planned.pk, sent.pk}
    assert (moved[planned.pk].kind, moved[planned.pk].object_id, moved[planned.pk].person_id) == (
        "appointment",
        appointment.pk,
        person.pk,
    )
    assert (moved[sent.pk].state, moved[sent.pk].channel, moved[sent.pk].offset_minutes) == ("sent", "sms", 2880)
    assert new.get_model("notifications", "ReminderPreference").objects.get(person_id=person.pk).channel == "email"
    # A new reminder gets a fresh id (the sequence moved past the copied ones on PostgreSQL).
    fresh = new.get_model("notifications", "Reminder").objects.create(
        kind="appointment", object_id=appointment.pk, person_id=person.pk, offset_minutes=60, due_at=starts
    )
    assert fresh.pk > max(moved)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
