"""The security log (failed logins, lockouts, refused access, exports of personal data, MFA
steps) and the addresses each account has signed in from.

On PostgreSQL the database guards the log as it guards the audit trail (0002), and more:
- UPDATE is refused, except the one Django issues when a user is deleted (user set to NULL,
  everything else unchanged; the name stays in ``username``);
- DELETE is refused for rows younger than 365 days: the retention purge is the one delete
  path, and the floor holds even for a session that bypasses the application (the database
  cannot read SECURITY_LOG_RETENTION_DAYS, so settings refuse a retention below this floor);
- TRUNCATE of a non-empty log is refused unless the session first declares maintenance
  (``SET caicach.maintenance = 'on'``): a deliberate step for a database administrator (the
  test suite's flush between browser tests), never taken by the application.
The production database role should still lack TRUNCATE and DDL rights (README): the
triggers stop mistakes and a compromised application session, not the table's owner.
SQLite relies on the model and queryset guards."""

import caicach.core.clock
import caicach.core.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from caicach.core.search import install_fulltext, uninstall_fulltext

RETENTION_FLOOR_DAYS = 365

CREATE = f"""
CREATE OR REPLACE FUNCTION core_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.created_at < now() - interval '{RETENTION_FLOOR_DAYS} days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'core_securityevent is append-only (only events past retention may be purged)';
    END IF;
    IF NEW.user_id IS NULL
       AND (NEW.id, NEW.created_at, NEW.kind, NEW.username, NEW.ip_address, NEW.content_type_id,
            NEW.object_id, NEW.object_repr, NEW.path, NEW.detail::text, NEW.search_text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.kind, OLD.username, OLD.ip_address, OLD.content_type_id,
            OLD.object_id, OLD.object_repr, OLD.path, OLD.detail::text, OLD.search_text)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_securityevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_securityevent_append_only
    BEFORE UPDATE OR DELETE ON core_securityevent
    FOR EACH ROW EXECUTE FUNCTION core_securityevent_append_only();

CREATE OR REPLACE FUNCTION core_securityevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF COALESCE(current_setting('caicach.maintenance', true), '') = 'on'
       OR NOT EXISTS (SELECT 1 FROM core_securityevent) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_securityevent cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_securityevent_no_truncate
    BEFORE TRUNCATE ON core_securityevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_securityevent_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_securityevent_no_truncate ON core_securityevent;
DROP FUNCTION IF EXISTS core_securityevent_no_truncate();
DROP TRIGGER IF EXISTS core_securityevent_append_only ON core_securityevent;
DROP FUNCTION IF EXISTS core_securityevent_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    install_fulltext(schema_editor, "core_securityevent")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    uninstall_fulltext(schema_editor, "core_securityevent")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0016_mfa"),
    ]

    operations = [
        migrations.CreateModel(
            name="KnownLoginAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ip_address", models.GenericIPAddressField()),
                ("last_success_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-last_success_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "ip_address"), name="known_login_address_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="SecurityEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=caicach.core.clock.now)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("auth.failed", "Đăng nhập sai"),
                            ("auth.throttled", "Đăng nhập bị từ chối do phải chờ"),
                            ("auth.locked", "Tạm chặn đăng nhập"),
                            ("auth.unlocked", "Mở khóa đăng nhập"),
                            ("access.denied", "Truy cập bị từ chối"),
                            ("action.denied", "Thao tác bị từ chối"),
                            ("export.personal_data", "Xuất dữ liệu cá nhân"),
                            ("mfa.enrolled", "Đăng ký xác thực hai bước"),
                            ("mfa.verified", "Xác thực hai bước thành công"),
                            ("mfa.failed", "Xác thực hai bước thất bại"),
                            ("mfa.recovery_used", "Dùng mã khôi phục"),
                            ("mfa.reset", "Đặt lại xác thực hai bước"),
                        ],
                        max_length=32,
                    ),
                ),
                ("username", models.CharField(blank=True, max_length=150)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("object_repr", models.CharField(blank=True, max_length=255)),
                ("path", models.CharField(blank=True, max_length=500)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("search_text", models.TextField(blank=True, default="", editable=False)),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "nhật ký an ninh",
                "verbose_name_plural": "nhật ký an ninh",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["-created_at", "-id"], name="security_newest_idx"),
                    models.Index(fields=["kind", "created_at"], name="security_kind_idx"),
                    models.Index(fields=["ip_address", "created_at"], name="security_ip_idx"),
                    models.Index(fields=["user", "created_at"], name="security_user_idx"),
                ],
            },
            bases=(caicach.core.models.FoldedSearchMixin, models.Model),
        ),
        migrations.RunPython(forwards, backwards),
    ]
