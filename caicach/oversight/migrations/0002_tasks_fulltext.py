"""The full-text index of tasks' folded ``search_text`` (caicach.core.search)."""

from typing import Any

from django.db import migrations

from caicach.core.search import install_fulltext, uninstall_fulltext


def install(apps: Any, schema_editor: Any) -> None:
    install_fulltext(schema_editor, "oversight_task")


def uninstall(apps: Any, schema_editor: Any) -> None:
    uninstall_fulltext(schema_editor, "oversight_task")


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
