# Reminders now live in notifications (copied there by notifications.0005); the old table goes.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0005_reminder_preference_to_notifications"),
        ("notifications", "0005_reminders"),
    ]

    operations = [migrations.DeleteModel(name="Reminder")]
