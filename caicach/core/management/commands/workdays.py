"""Working-day arithmetic from the shell, one answer per line:

    manage.py workdays add 2025-01-24 3      -> 2025-02-05 (start day not counted)
    manage.py workdays before 2025-02-05 3   -> 2025-01-24 (that date excluded)
    manage.py workdays is 2026-01-02         -> off | working
    manage.py workdays between 2025-01-24 2025-02-05 -> 3 (working days in (A, B])

On a database where the official 2024-2026 schedule has not been loaded yet (a year with
no calendar rows at all), it is loaded first, so the answers agree with the Government's
notices right after ``migrate``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caicach.core.calendar import queries as workcal
from caicach.core.calendar.services import calendar_load_official


def _date(raw: str) -> datetime.date:
    for parse in (datetime.date.fromisoformat, lambda v: datetime.datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(raw)
        except ValueError:
            continue
    raise CommandError(f"Invalid date {raw!r}: use YYYY-MM-DD (or DD/MM/YYYY).")


def _count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"Invalid number of working days {raw!r}: use a whole number >= 0.") from None
    if value < 0:
        raise CommandError(f"Invalid number of working days {raw!r}: use a whole number >= 0.")
    return value


class Command(BaseCommand):
    help = "Working-day arithmetic (weekends, public holidays, official swaps and make-up days)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="operation", required=True, metavar="{add,before,is,between}")
        add = sub.add_parser("add", help="the N-th working day after DATE (DATE not counted)")
        add.add_argument("date")
        add.add_argument("n")
        before = sub.add_parser("before", help="the N-th working day before DATE (DATE excluded)")
        before.add_argument("date")
        before.add_argument("n")
        is_ = sub.add_parser("is", help="print 'working' or 'off' for DATE")
        is_.add_argument("date")
        between = sub.add_parser("between", help="the number of working days in (A, B]")
        between.add_argument("a")
        between.add_argument("b")

    def handle(self, *args: Any, **options: Any) -> None:
        operation = options["operation"]
        calendar_load_official(actor=None, skip_years_with_rows=True)
        try:
            if operation == "add":
                answer = workcal.add_working_days(_date(options["date"]), _count(options["n"])).isoformat()
            elif operation == "before":
                answer = workcal.working_day_before(_date(options["date"]), _count(options["n"])).isoformat()
            elif operation == "is":
                answer = "working" if workcal.is_working_day(_date(options["date"])) else "off"
            elif operation == "between":
                answer = str(workcal.working_days_between(_date(options["a"]), _date(options["b"])))
            else:  # pragma: no cover - argparse refuses other operations
                raise CommandError(f"Unknown operation {operation!r}.")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(answer)
