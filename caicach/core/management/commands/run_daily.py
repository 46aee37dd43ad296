"""Run today's reminder functions (for cron in production), or start the self-rescheduling
chain of daily ticks at 07:00 (the demo, where ``db_worker`` runs next to the site)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caicach.core import reminders


class Command(BaseCommand):
    help = "Chạy các chức năng nhắc việc hằng ngày (mỗi chức năng tối đa một lần mỗi ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Không chạy ngay; xếp lịch lần chạy kế tiếp lúc 07:00 (tự lặp lại mỗi ngày).",
        )
        parser.add_argument("--day", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            at, created = reminders.schedule_next_tick()
            if at is None:
                raise CommandError("The task backend cannot defer tasks; run `run_daily` from cron instead.")
            state = "scheduled" if created else "already scheduled"
            self.stdout.write(f"Daily tick {state} for {at:%Y-%m-%d %H:%M %Z}.")
            return
        day = None
        if options["day"]:
            try:
                day = datetime.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError("--day must be YYYY-MM-DD.") from exc
        report = reminders.run_daily(day)
        summary = {"ran": report.ran, "skipped": report.skipped, "failed": report.failed}
        parts = [f"{key}: {', '.join(names) or '-'}" for key, names in summary.items()]
        self.stdout.write(f"{report.day}: " + "; ".join(parts))
        if report.failed:
            raise CommandError(f"Failed: {', '.join(report.failed)}")
