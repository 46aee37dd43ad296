"""Misspelt names: pg_trgm and a trigram index on the search column of units and users, for
``caicach.core.search.search(..., fuzzy=True)``. Nothing on SQLite.

The extension is created by plain SQL rather than ``django.contrib.postgres.operations``,
whose import needs psycopg: ``make demo`` installs no PostgreSQL driver."""

from django.db import migrations

from caicach.core.search import install_trigrams, uninstall_trigrams

TABLES = ("core_unit", "core_user")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        install_trigrams(schema_editor, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        uninstall_trigrams(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("core", "0011_audit_search_text")]

    operations = [migrations.RunPython(forwards, backwards)]
