"""The search columns keep letters and digits only (caicach.core.text.search_words), so that
PostgreSQL's parser, like SQLite's FTS5, splits "canbo@example.com" or "TN-SNV" into words
instead of keeping an e-mail or a hyphenated code whole."""

from django.db import migrations

from caicach.core.search import rewrite_search_words

MODELS = "Unit User".split()


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in MODELS:
        rewrite_search_words(apps.get_model("core", name))


class Migration(migrations.Migration):
    dependencies = [("core", "0009_fulltext")]

    # Backwards: nothing to undo, the words-only column serves the earlier search too.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
