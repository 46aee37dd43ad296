"""PostgreSQL: a trigram index on the upper-cased title, which answers the search's first
tier ("the title as typed", ``title__icontains``, which Django writes as
``UPPER(title::text) LIKE UPPER(...)``) without reading every dossier: a phrase no title
holds as typed was a 200,000-row scan (1.3 s) before the other tiers were asked. Nothing on
SQLite.

And an index on (campaign, status): a reform officer's scope (the managed campaigns'
dossiers in the statuses an office sees) in one index scan, where the planner ANDed the
campaign index with the status index's 164,000 rows."""

from django.db import migrations, models

from caicach.core.search import install_exact_trigrams, uninstall_exact_trigrams


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    install_exact_trigrams(schema_editor, "initiatives_initiative", "title")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    uninstall_exact_trigrams(schema_editor, "initiatives_initiative", "title")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0008_field_bounds"), ("core", "0012_trigram_names")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["campaign", "status"], name="initiative_campaign_status_idx"),
        ),
    ]
