"""Misspelt names: pg_trgm and a trigram index on the search column of units and users, for
``caicach.core.search.search(..., fuzzy=True)``. Nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from caicach.core.search import install_trigrams, uninstall_trigrams

TABLES = ("core_unit", "core_user")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        install_trigrams(schema_editor, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        uninstall_trigrams(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("core", "0011_audit_search_text")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
