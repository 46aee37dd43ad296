"""Reporting cycles of replication (seed 004: Home Affairs "hướng dẫn chế độ báo cáo"):
the cycle a day falls in, the cycles an obligation spans, and when the report on a cycle is
due — the one way every area (reports, reminders, monitoring, the summary) counts them.

A report on a cycle is due ``report_due_working_days`` working days after the cycle's last
day (the calendar counts them: the last day itself is not counted)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from caicach.core.calendar import queries as calendar
from caicach.core.models import Unit
from caicach.core.months import add_months
from caicach.replication.models import ReplicationSettings, ReportingCycle

# Months per cycle; a cycle starts on the first month of its block of the year.
_MONTHS = {
    ReportingCycle.MONTHLY: 1,
    ReportingCycle.QUARTERLY: 3,
    ReportingCycle.HALF_YEARLY: 6,
    ReportingCycle.YEARLY: 12,
}
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, order=True)
class Cycle:
    start: datetime.date
    end: datetime.date
    kind: str

    @property
    def label(self) -> str:
        """How a Vietnamese report names its period: "Quý II/2024", "Tháng 03/2024",
        "6 tháng đầu năm 2024", "Năm 2024". Always Vietnamese (printed documents)."""
        year = self.start.year
        if self.kind == ReportingCycle.MONTHLY:
            return f"Tháng {self.start.month:02d}/{year}"
        if self.kind == ReportingCycle.QUARTERLY:
            return f"Quý {_ROMAN[(self.start.month - 1) // 3]}/{year}"
        if self.kind == ReportingCycle.HALF_YEARLY:
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {year}"
        return f"Năm {year}"

    def next(self) -> Cycle:
        return cycle_of(self.end + datetime.timedelta(days=1), self.kind)

    def previous(self) -> Cycle:
        return cycle_of(self.start - datetime.timedelta(days=1), self.kind)


# A pure function of its arguments, asked once per cell of the monitoring pages (thousands).
@functools.lru_cache(maxsize=1024)
def cycle_of(day: datetime.date, kind: str) -> Cycle:
    months = _MONTHS[ReportingCycle(kind)]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end = add_months(start, months) - datetime.timedelta(days=1)
    return Cycle(start=start, end=end, kind=kind)


def cycles_between(first: datetime.date, last: datetime.date, kind: str) -> list[Cycle]:
    """Every cycle holding a day of ``first``…``last`` (both included), oldest first."""
    cycles: list[Cycle] = []
    if last < first:
        return cycles
    cycle = cycle_of(first, kind)
    while cycle.start <= last:
        cycles.append(cycle)
        cycle = cycle.next()
    return cycles


def last_closed_cycle(today: datetime.date, kind: str) -> Cycle:
    """The latest cycle that has ended before ``today``."""
    return cycle_of(today, kind).previous()


def settings_for(committee: Unit | int) -> ReplicationSettings:
    """The committee's replication settings; an unsaved instance with the defaults when the
    committee has set nothing."""
    return ReplicationSettings.of(committee)


def report_due_on(cycle: Cycle, settings: ReplicationSettings) -> datetime.date:
    return calendar.add_working_days(cycle.end, settings.report_due_working_days)
