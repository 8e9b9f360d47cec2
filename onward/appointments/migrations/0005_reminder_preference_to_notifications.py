# ReminderPreference moves to the notifications app, which owns reaching a person (the table is renamed
# there by notifications.0005, rows kept). Here it only leaves appointments' state.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("appointments", "0004_reminder_channel_push")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ReminderPreference")]),
    ]
