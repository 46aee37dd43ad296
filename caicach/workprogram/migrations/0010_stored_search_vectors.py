"""PostgreSQL: the searched tables get a stored search_vector column (computed by the
database from search_text) with its GIN index, in place of the expression index: matching
and ranking then read the stored vector instead of parsing every matching row's text
again. Nothing changes on SQLite (install_fulltext finds its FTS5 tables in place)."""

from django.db import migrations

from caicach.core.search import install_fulltext

TABLES = "workprogram_programitem".split()


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in TABLES:
        install_fulltext(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("workprogram", "0009_search_words")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
