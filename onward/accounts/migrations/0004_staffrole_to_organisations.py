# StaffRole moved to the organisations app (roles are held at organisation units, and every app's rules
# read them). The table is kept and renamed by organisations.0002; here the model leaves accounts' state.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_sign_in_link")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="StaffRole")]),
    ]
