"""On PostgreSQL, the database itself refuses to rewrite or delete audit events.

The one UPDATE allowed is the one Django issues when a user is deleted (actor set to NULL,
everything else unchanged); the actor's name stays in ``actor_name``. SQLite relies on the
model and queryset guards: a trigger there would also block test-database flushing."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.created_at, NEW.actor_name, NEW.action, NEW.content_type_id, NEW.object_id,
            NEW.object_repr, NEW.changes::text, NEW.message, NEW.ip_address)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_name, OLD.action, OLD.content_type_id, OLD.object_id,
            OLD.object_repr, OLD.changes::text, OLD.message, OLD.ip_address)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
