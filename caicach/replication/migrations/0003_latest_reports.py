"""Each obligation keeps its latest submitted report and each report the cycle of the next
one (kept since by the report services); this fills them for the reports already sent, in
two statements."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Obligation = apps.get_model("replication", "Obligation")
    AdoptionReport = apps.get_model("replication", "AdoptionReport")
    sent = AdoptionReport.objects.filter(status="submitted")
    latest = sent.filter(obligation=OuterRef("pk")).order_by("-period_start")
    Obligation.objects.update(
        last_submitted=Subquery(latest.values("pk")[:1]),
        last_submitted_period=Subquery(latest.values("period_start")[:1]),
        last_submitted_status=Coalesce(Subquery(latest.values("adoption_status")[:1]), Value("")),
    )
    following = sent.filter(obligation=OuterRef("obligation"), period_start__gt=OuterRef("period_start"))
    AdoptionReport.objects.update(
        superseded_from=Subquery(following.order_by("period_start").values("period_start")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('replication', '0002_practices_fulltext'),
    ]

    operations = [
        migrations.AddField(
            model_name='adoptionreport',
            name='superseded_from',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='obligation',
            name='last_submitted',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='replication.adoptionreport'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='last_submitted_period',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='obligation',
            name='last_submitted_status',
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
