"""Fill the folded search columns added by 0003 for the units and users that already exist.
From here on ``Unit.save()`` / ``User.save()`` keep them up to date."""

import unicodedata

from django.db import migrations

BATCH = 2000


def _fold(value):  # type: ignore[no-untyped-def]
    # A frozen copy of caicach.core.text.fold as of this migration: historical migrations must
    # not change behaviour when application code does.
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def _backfill(model, fields):  # type: ignore[no-untyped-def]
    # Batches by primary key rather than one open cursor: SQLite does not isolate a cursor
    # from writes to the table it is reading.
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:BATCH])
        if not rows:
            return
        for row in rows:
            row.search_text = _fold(" ".join(getattr(row, name) or "" for name in fields))
        model.objects.bulk_update(rows, ["search_text"])
        last = rows[-1].pk


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _backfill(apps.get_model("core", "Unit"), ("code", "name", "short_name"))
    _backfill(apps.get_model("core", "User"), ("username", "full_name", "email"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_text_and_username_ci_unique")]

    # Backwards: 0003's reversal drops the columns, so there is nothing to undo here.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
