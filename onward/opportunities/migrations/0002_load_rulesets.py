from django.db import migrations

from onward.opportunities.rulesets import rulesets_load


def load(apps, schema_editor):
    rulesets_load(apps.get_model("opportunities", "RuleSet"), apps.get_model("opportunities", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
