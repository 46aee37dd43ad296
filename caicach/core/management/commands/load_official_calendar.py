"""Load the Government's official 2024-2026 schedules (swapped days off, make-up days) into
the calendar table. Idempotent: dates already in the table are left as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caicach.core.calendar.services import calendar_load_official


class Command(BaseCommand):
    help = "Load the shipped official holiday/make-up day schedule into the working-day calendar."

    def handle(self, *args: Any, **options: Any) -> None:
        result = calendar_load_official(actor=None)
        self.stdout.write(f"created {len(result.created)}, kept {len(result.kept)}")
