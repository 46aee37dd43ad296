"""Consultations searched by their title through the one search service (the API's ``q``):
the folded ``search_text`` column, filled for the rows already there, and its full-text
index (caicach.core.search)."""

from typing import Any

from django.db import migrations, models

from caicach.core.search import install_fulltext, uninstall_fulltext
from caicach.core.text import search_words

BATCH = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    # Batches by primary key: SQLite does not isolate a cursor from writes to the table it reads.
    consultation = apps.get_model("deliberation", "Consultation")
    last = 0
    while True:
        rows = list(consultation.objects.filter(pk__gt=last).order_by("pk").only("pk", "title")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.search_text = search_words(row.title)
        consultation.objects.bulk_update(rows, ["search_text"])
        last = rows[-1].pk


def install(apps: Any, schema_editor: Any) -> None:
    install_fulltext(schema_editor, "deliberation_consultation")


def uninstall(apps: Any, schema_editor: Any) -> None:
    uninstall_fulltext(schema_editor, "deliberation_consultation")


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0002_meetings")]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
