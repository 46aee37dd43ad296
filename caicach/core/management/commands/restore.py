"""Restore a backup archive into an empty database and an empty MEDIA_ROOT, after checking
every checksum; then compare the row counts with the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from caicach.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = _("Khôi phục CSDL và các tệp từ một tệp sao lưu (kiểm tra SHA-256 trước).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("Tệp sao lưu (.tar.gz) do lệnh backup tạo ra."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Ghi đè CSDL và thư mục tệp dù không trống (mất toàn bộ dữ liệu hiện có)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["archive"], replace=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Đã khôi phục %(tables)s bảng, %(rows)s dòng và %(files)s tệp; số dòng khớp với bản kê.")
            % {"tables": report.tables, "rows": report.rows, "files": report.files}
        )
