"""Write one consistent, checksummed backup archive: the database, the files, a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from caicach.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = _("Sao lưu CSDL và các tệp vào một tệp lưu trữ có kiểm tra SHA-256.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help=_("Thư mục ghi tệp sao lưu (mặc định: CAICACH_BACKUP_DIR).")
        )
        parser.add_argument(
            "--keep", type=int, help=_("Chỉ giữ lại số bản sao lưu mới nhất này trong thư mục.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or Path(settings.BACKUP_DIR)
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError(_("--keep phải là số nguyên dương."))
        try:
            archive = create_backup(output, keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = archive.stat().st_size
        self.stdout.write(
            _("Đã sao lưu vào %(path)s (%(size)s byte).")
            % {"path": archive, "size": f"{size:,}".replace(",", ".")}
        )
