# The reminder engine moves to notifications: reminder preferences (same table, renamed) and reminders
# of any registered kind (kind + object id instead of foreign keys to appointments and check-ins). Every
# reminder row is copied with its id, so the outbox's idempotency keys stay unique.
import datetime

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

COPY_BATCH_SIZE = 2000


def reminders_copy(apps, schema_editor):
    old = apps.get_model("appointments", "Reminder")
    new = apps.get_model("notifications", "Reminder")
    rows = old.objects.values(
        "id",
        "appointment_id",
        "appointment__person_id",
        "checkin_id",
        "checkin__person_id",
        "offset_minutes",
        "due_at",
        "state",
        "claim_token",
        "channel",
        "sent_at",
    ).order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=COPY_BATCH_SIZE):
        is_appointment = row["appointment_id"] is not None
        batch.append(
            new(
                id=row["id"],
                kind="appointment" if is_appointment else "checkin",
                object_id=row["appointment_id"] if is_appointment else row["checkin_id"],
                person_id=row["appointment__person_id"] if is_appointment else row["checkin__person_id"],
                offset_minutes=row["offset_minutes"],
                due_at=row["due_at"],
                state=row["state"],
                claim_token=row["claim_token"],
                channel=row["channel"],
                sent_at=row["sent_at"],
            )
        )
        if len(batch) >= COPY_BATCH_SIZE:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)
    # Ids were given: on PostgreSQL the sequence must move past them.
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [new]):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_push_subscription"),
        ("people", "0001_initial"),
        ("appointments", "0005_reminder_preference_to_notifications"),
        ("checkins", "0002_questionnaire_v1"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderPreference",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "channel",
                            models.CharField(
                                choices=[("sms", "Text message"), ("email", "Email"), ("push", "Notification on your phone")],
                                default="sms",
                                max_length=10,
                            ),
                        ),
                        ("offsets_minutes", models.JSONField(blank=True, default=list)),
                        ("offsets_by_kind", models.JSONField(blank=True, default=dict)),
                        ("quiet_start", models.TimeField(default=datetime.time(21, 0))),
                        ("quiet_end", models.TimeField(default=datetime.time(8, 0))),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "person",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_preference",
                                to="people.person",
                            ),
                        ),
                    ],
                    options={"db_table": "appointments_reminderpreference"},
                ),
            ]
        ),
        migrations.AlterModelTable(name="reminderpreference", table=None),
        migrations.CreateModel(
            name="Reminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30)),
                ("object_id", models.PositiveBigIntegerField()),
                ("offset_minutes", models.PositiveIntegerField()),
                ("due_at", models.DateTimeField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("skipped", "Not sent (no longer due)"),
                        ],
                        default="planned",
                        max_length=10,
                    ),
                ),
                ("claim_token", models.CharField(blank=True, max_length=32)),
                ("channel", models.CharField(blank=True, max_length=10)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to="people.person"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["state", "due_at"], name="notificatio_state_1dac6a_idx"),
                    models.Index(fields=["kind", "object_id"], name="notificatio_kind_4f0be9_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id", "offset_minutes"), name="notification_reminder_once"
                    )
                ],
            },
        ),
        migrations.RunPython(reminders_copy, migrations.RunPython.noop),
    ]
