"""On PostgreSQL, TRUNCATE of the audit trail is refused too.

The row triggers of 0002 refuse UPDATE and DELETE, but TRUNCATE fires no row trigger: it
needs a statement-level one. The real protection in production is an application role that
holds no TRUNCATE right at all (README, production); this trigger also covers a deployment
where the application still connects as the schema owner. SQLite has no TRUNCATE."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_no_truncate();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0018_job_heartbeat")]

    operations = [migrations.RunPython(forwards, backwards)]
