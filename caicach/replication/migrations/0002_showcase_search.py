"""The public showcase searches practices without accents through caicach.core.search: the
full-text index of replication_practice.search_text (PostgreSQL: the stored search_vector
column and its GIN index; SQLite: the FTS5 table and its triggers)."""

from django.db import migrations

from caicach.core.search import install_fulltext, uninstall_fulltext

TABLE = "replication_practice"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    install_fulltext(schema_editor, TABLE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    uninstall_fulltext(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("replication", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
