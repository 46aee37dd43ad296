"""The unit tree as a closure table, kept by triggers on core_unit (see ``UnitAncestry``)."""

import django.db.models.deletion
from django.db import migrations, models

# Rows for a unit just inserted: each of its parent's ancestors one level further, and itself.
_PG_INSERT_BODY = """
    INSERT INTO core_unitancestry (ancestor_id, descendant_id, depth)
        SELECT ancestor_id, NEW.id, depth + 1 FROM core_unitancestry WHERE descendant_id = NEW.parent_id
        UNION ALL SELECT NEW.id, NEW.id, 0;
"""
# A unit moved: its subtree leaves its old ancestors and joins the new parent's.
_MOVE_STATEMENTS = """
    DELETE FROM core_unitancestry
        WHERE descendant_id IN (SELECT descendant_id FROM core_unitancestry WHERE ancestor_id = NEW.id)
          AND ancestor_id NOT IN (SELECT descendant_id FROM core_unitancestry WHERE ancestor_id = NEW.id);
    INSERT INTO core_unitancestry (ancestor_id, descendant_id, depth)
        SELECT above.ancestor_id, below.descendant_id, above.depth + below.depth + 1
        FROM core_unitancestry above, core_unitancestry below
        WHERE above.descendant_id = NEW.parent_id AND below.ancestor_id = NEW.id;
"""

POSTGRESQL = f"""
CREATE FUNCTION core_unit_ancestry_insert() RETURNS trigger AS $$
BEGIN
{_PG_INSERT_BODY}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_unit_ancestry_insert AFTER INSERT ON core_unit
    FOR EACH ROW EXECUTE FUNCTION core_unit_ancestry_insert();
CREATE FUNCTION core_unit_ancestry_move() RETURNS trigger AS $$
BEGIN
{_MOVE_STATEMENTS}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_unit_ancestry_move AFTER UPDATE OF parent_id ON core_unit
    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id)
    EXECUTE FUNCTION core_unit_ancestry_move();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS core_unit_ancestry_insert ON core_unit;
DROP TRIGGER IF EXISTS core_unit_ancestry_move ON core_unit;
DROP FUNCTION IF EXISTS core_unit_ancestry_insert();
DROP FUNCTION IF EXISTS core_unit_ancestry_move();
"""
# SQLite runs one statement per execute(): the triggers are two statements.
SQLITE = [
    """
CREATE TRIGGER core_unit_ancestry_insert AFTER INSERT ON core_unit FOR EACH ROW BEGIN
    INSERT INTO core_unitancestry (ancestor_id, descendant_id, depth)
        SELECT ancestor_id, NEW.id, depth + 1 FROM core_unitancestry WHERE descendant_id = NEW.parent_id;
    INSERT INTO core_unitancestry (ancestor_id, descendant_id, depth) VALUES (NEW.id, NEW.id, 0);
END
""",
    f"""
CREATE TRIGGER core_unit_ancestry_move AFTER UPDATE OF parent_id ON core_unit
    FOR EACH ROW WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN
{_MOVE_STATEMENTS}
END
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_unit_ancestry_insert",
    "DROP TRIGGER IF EXISTS core_unit_ancestry_move",
]


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The rows for the units already there, then the triggers that keep them."""
    Unit = apps.get_model("core", "Unit")
    UnitAncestry = apps.get_model("core", "UnitAncestry")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    rows = []
    for pk in parents:
        depth, current, seen = 0, pk, set()
        while current is not None and current not in seen:
            seen.add(current)
            rows.append(UnitAncestry(ancestor_id=current, descendant_id=pk, depth=depth))
            current, depth = parents.get(current), depth + 1
    UnitAncestry.objects.bulk_create(rows, batch_size=2000)
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRESQL] if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def unfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in (
        [POSTGRESQL_DROP] if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_job_errors"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitAncestry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("depth", models.PositiveSmallIntegerField()),
                (
                    "ancestor",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.unit",
                    ),
                ),
                (
                    "descendant",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ancestry",
                        to="core.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "quan hệ cấp trên - cấp dưới",
                "verbose_name_plural": "quan hệ cấp trên - cấp dưới",
                "indexes": [models.Index(fields=["descendant", "depth"], name="unit_ancestry_up_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("ancestor", "descendant"), name="unit_ancestry_pair")
                ],
            },
        ),
        migrations.RunPython(fill, unfill),
    ]
