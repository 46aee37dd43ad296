"""Load the demo province, its people, the official calendar and the records built from the
seed documents; print the demo accounts. Safe to run again: an existing demo is kept."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from caicach.core.calendar.services import calendar_load_official
from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD, demo_load_organisation, demo_loaded, demo_loaders
from caicach.core.models import Role


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (tỉnh Tây Ninh giả định, tài khoản cho mọi vai trò, lịch nghỉ 2024–2026)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Dữ liệu mẫu đã có sẵn; giữ nguyên.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        if settings.TASKS["default"]["BACKEND"] != "django_tasks.backends.immediate.ImmediateBackend":
            call_command("run_daily", "--schedule", stdout=self.stdout)
        self._print_accounts()

    @transaction.atomic
    def _load(self) -> None:
        units = demo_load_organisation()
        calendar_load_official(actor=None)
        # Each domain app's records, in the order the apps registered them for.
        for loader in demo_loaders():
            loader(units)

    def _print_accounts(self) -> None:
        roles = dict(Role.choices)
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            labels = ", ".join(str(roles[r]) for r in account.roles)
            self.stdout.write(f"  {account.username:<20} {account.full_name:<22} {labels}")
        self.stdout.write("")
