"""Load the demo province, its people, the official calendar and the records built from the
seed documents; print the demo accounts. Safe to run again: an existing demo is kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from caicach.core import clock
from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD, demo_load_organisation, demo_loaded
from caicach.core.models import ReformField, ReformIndex, Role, User
from caicach.core.services.calendar import calendar_load_official
from caicach.initiatives.demo import load_demo_initiatives, load_seed_campaign
from caicach.workprogram.demo import load_demo_program


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
        district_officer = User.objects.get(username="cchc.chauthanh")
        eligible = [u for code, u in units.items() if code.startswith("CT-") and code != "CT-PNV"]
        # Publishing notifies the eligible units (their inboxes show it). The campaign is
        # replayed on its 2024 dates, like the dossiers below.
        with clock.travel_to(timezone.make_aware(datetime.datetime(2024, 5, 10, 9))):
            chau_thanh = load_seed_campaign(
                actor=district_officer,
                issuing_unit=units["CT"],
                receiving_unit=units["CT-PNV"],
                eligible_units=[units["CT-PNV"], *eligible],
                signer_name="Phan Văn Dũng",
                reform_fields=ReformField.objects.all(),
                target_indices=ReformIndex.objects.all(),
                issued_on=datetime.date(2024, 5, 10),
            )
        load_demo_initiatives(units=units, chau_thanh=chau_thanh)
        # The province's 2024 work program, its requests and the units' monthly reports.
        load_demo_program()

    def _print_accounts(self) -> None:
        roles = dict(Role.choices)
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            labels = ", ".join(str(roles[r]) for r in account.roles)
            self.stdout.write(f"  {account.username:<20} {account.full_name:<22} {labels}")
        self.stdout.write("")
