# StaffRole moved here from accounts: the same table (renamed), the same rows.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLE_CHOICES = [
    ("key_worker", "Key worker"),
    ("pom", "Prison offender manager"),
    ("practitioner", "Probation practitioner"),
    ("senior", "Senior practitioner or manager"),
    ("security", "Security"),
    ("content_editor", "Content editor"),
    ("administrator", "Administrator"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("accounts", "0004_staffrole_to_organisations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaffRole",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=ROLE_CHOICES, max_length=20)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="staff_roles",
                                to="organisations.orgunit",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="staff_roles",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_staffrole",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "role", "unit"), name="staff_role_unique")
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="staffrole", table=None),
    ]
