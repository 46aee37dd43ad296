"""Full-text search over search_text (caicach.core.search): a GIN expression index on
PostgreSQL, an FTS5 table kept by triggers on SQLite."""

from django.db import migrations

from caicach.core.search import install_fulltext, uninstall_fulltext

TABLES = "core_unit core_user".split()


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        install_fulltext(schema_editor, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        uninstall_fulltext(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_newest_first_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
