"""The four reasons seed 001 allows for adjusting a work program (the Office may edit them)."""

from django.db import migrations

REASONS = [
    ("leader_direction", "Theo chỉ đạo của lãnh đạo UBND tỉnh"),
    ("objective_cause", "Do nguyên nhân khách quan, bất khả kháng hoặc tình huống cấp bách"),
    ("steering_needs", "Do yêu cầu thực tiễn trong chỉ đạo, điều hành"),
    ("legal_procedure", "Theo trình tự, thủ tục xây dựng văn bản quy phạm pháp luật"),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    reason_model = apps.get_model("workprogram", "AdjustmentReason")
    for position, (code, label) in enumerate(REASONS, start=1):
        reason_model.objects.update_or_create(code=code, defaults={"label": label, "position": position})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    reason_model = apps.get_model("workprogram", "AdjustmentReason")
    # Only the seeded rows, and only those no request names (reason is PROTECTed).
    reason_model.objects.filter(code__in=[code for code, _ in REASONS], requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workprogram", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
