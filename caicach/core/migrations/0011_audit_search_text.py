"""The audit trail's text search joins the one search service: a ``search_text`` column of
the folded words of the object's name and the message, written with each event, and its
full-text index (GIN on PostgreSQL, FTS5 on SQLite).

Filling the column for past events is the one rewrite of the trail ever made: it changes no
recorded fact, only the derived column, so the append-only trigger is set aside for it and
then taught to guard the new column as well."""

from django.db import migrations, models

from caicach.core.search import install_fulltext, uninstall_fulltext
from caicach.core.text import search_words

BATCH = 5000

GUARD = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.created_at, NEW.actor_name, NEW.action, NEW.content_type_id, NEW.object_id,
            NEW.object_repr, NEW.changes::text, NEW.message, NEW.ip_address, NEW.search_text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_name, OLD.action, OLD.content_type_id, OLD.object_id,
            OLD.object_repr, OLD.changes::text, OLD.message, OLD.ip_address, OLD.search_text)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    model = apps.get_model("core", "AuditEvent")
    last = 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last).order_by("pk").only("pk", "object_repr", "message")[:BATCH]
        )
        if not rows:
            break
        for row in rows:
            row.search_text = search_words(f"{row.object_repr} {row.message}")
        model.objects.bulk_update(rows, ["search_text"])
        last = rows[-1].pk
    if postgresql:
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        schema_editor.execute(GUARD)
    install_fulltext(schema_editor, "core_auditevent")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    uninstall_fulltext(schema_editor, "core_auditevent")


class Migration(migrations.Migration):
    dependencies = [("core", "0010_search_words")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
