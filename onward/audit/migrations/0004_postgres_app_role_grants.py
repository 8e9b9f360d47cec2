"""On PostgreSQL: the application's role may read and add audit events, never change or remove them.

Migrations run as the owner of the tables. They create (once per cluster) the role named by
DATABASE_APP_ROLE, without a login, and grant it what the application needs on every table, less
UPDATE, DELETE and TRUNCATE on audit events. The application signs in as a login role that is a member of
it and owns nothing (docs/audit.md). Tables added later get the same grants by default privileges.
"""

from django.conf import settings
from django.db import migrations


def grant(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE %s NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$" % role
        )
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {role}",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM PUBLIC",
        ):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditevent_key_id"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop, elidable=False)]
