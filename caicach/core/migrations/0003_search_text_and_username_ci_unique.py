"""Folded search columns on units and users (filled by 0004), and case-insensitively
unique usernames.

The constraint fails if two existing accounts differ only in the case of their username;
``user_create`` has refused such pairs from the start, so only accounts made outside it
(``createsuperuser``, a shell) could collide: rename one before migrating."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0002_auditevent_append_only_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["search_text"], name="unit_search_text_idx"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["search_text"], name="user_search_text_idx"),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="Tên đăng nhập này đã được dùng.",
            ),
        ),
    ]
