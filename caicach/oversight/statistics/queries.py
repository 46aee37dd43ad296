"""Statistics of assigned tasks (issue 14; the national pattern of Decision 42/2014/QĐ-TTg:
done on time / done late / overdue / not yet due).

Definitions — every figure on the statistics page, in its exports and in the periodic
report follows these; ``tests/oversight/statistics/test_recount.py`` recounts them from the
rows in plain Python:

- **Period**: a year, a quarter, a month or any run of days ``from``..``to`` (inclusive).
  A task belongs to the period when its **original deadline** falls in it. Choice made on
  purpose: the national pattern counts the tasks due in the period *plus* those carried over
  open from earlier ones, so a long-overdue task is counted again in every period; here each
  task counts in exactly one period (the one it was first due in), so periods add up to the
  year and a unit cannot improve its rate by letting an old task linger. An old task still
  open shows, as overdue, in the period it was due in — and in the "overdue" figure of any
  wider period that holds that day.
- **Against the original deadline** (``timeliness_expression(against="original_deadline")``):
  an extension does not wash the record; a task done within its extension counts as done
  late. **Extended**: tasks (not cancelled) with at least one approved extension, shown
  beside the classes, not as a class of its own.
- **Assigned**: the tasks of the period except cancelled ones (cancelled tasks are shown in
  their own column and count nowhere else). Assigned = done on time + done late + overdue +
  not yet due ("due soon" is part of "not yet due").
- **Classes** are read on the day the figures are taken (``today``): a task still open past
  its original deadline is overdue.
- **On-time rate**: done on time / (done on time + done late + overdue), in per cent with one
  decimal rounded half up (``kpis.percent`` of the work program: one rounding); none ("—")
  when nothing was due yet.
- **Ranking** of lead units: the higher on-time rate first, then more tasks done on time,
  then fewer overdue; equal keys share a rank ("1, 2, 2, 4"); a unit with no rate is not
  ranked.

Every table is one SQL query grouped by its key, with ``Count(filter=...)`` per class."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.files.storage import default_storage
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.choices import kept_while_read
from caicach.core.models import Unit
from caicach.core.months import add_months, first_of_month
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskReport, TaskSource, TaskStatus
from caicach.oversight.timeliness import Against, Timeliness, timeliness_expression
from caicach.workprogram.models import WorkProgram
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports.kpis import ROMAN_QUARTERS, percent

# The drill-down's ``timeliness`` values besides the classes themselves.
ASSIGNED = "assigned"
EXTENDED = "extended"
NOT_YET_DUE_CLASSES = (Timeliness.DUE_SOON.value, Timeliness.NOT_YET_DUE.value)
CELLS = (
    ASSIGNED,
    Timeliness.DONE_ON_TIME.value,
    Timeliness.DONE_LATE.value,
    Timeliness.OVERDUE.value,
    Timeliness.NOT_YET_DUE.value,
    EXTENDED,
    Timeliness.CANCELLED.value,
)
FIGURE_NAMES = ("assigned", "done_on_time", "done_late", "overdue", "not_yet_due", "extended", "cancelled")


# --- Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatPeriod:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    @property
    def months(self) -> list[datetime.date]:
        months, current = [], first_of_month(self.start)
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months

    def q(self) -> Q:
        return Q(original_deadline__gte=self.start, original_deadline__lte=self.end)


def _last_of_month(month: datetime.date) -> datetime.date:
    return add_months(first_of_month(month), 1) - datetime.timedelta(days=1)


def year_period(year: int) -> StatPeriod:
    return StatPeriod(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("Năm %(year)s") % {"year": year}
    )


def quarter_period(year: int, quarter: int) -> StatPeriod:
    start = datetime.date(year, 3 * quarter - 2, 1)
    label = _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN_QUARTERS[quarter - 1], "year": year}
    return StatPeriod(start, _last_of_month(add_months(start, 2)), label)


def month_period(year: int, month: int) -> StatPeriod:
    start = datetime.date(year, month, 1)
    return StatPeriod(
        start, _last_of_month(start), _("Tháng %(month)s/%(year)s") % {"month": month, "year": year}
    )


def span_period(start: datetime.date, end: datetime.date) -> StatPeriod:
    label = _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
    return StatPeriod(start, end, label)


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Figures:
    assigned: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    not_yet_due: int = 0
    extended: int = 0
    cancelled: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def rate_base(self) -> int:
        """What was due by the day: done (on time or late) or overdue."""
        return self.done + self.overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.done_on_time, self.rate_base)

    def add(self, other: Figures) -> None:
        for name in FIGURE_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in FIGURE_NAMES)


@dataclass
class Row(Figures):
    """One row of a table: ``key`` is the lead unit's or the leader's id, or the source."""

    key: Any = None
    label: str = ""
    code: str = ""
    rank: int | None = None


@dataclass
class MonthRow(Figures):
    month: datetime.date = field(default_factory=lambda: datetime.date(2000, 1, 1))


def rate_text(value: Decimal | None) -> str:
    """ "85,7 %": a decimal comma and a space before the sign, as Vietnamese writes it."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "\u00a0%"


def counted_tasks(
    scope: Q, *, today: datetime.date, against: Against = "original_deadline"
) -> QuerySet[Task]:
    """The tasks within ``scope`` with their class (``kpi_class``) and whether an extension was
    approved (``was_extended``) as aliases, for filters and conditional counts."""
    return Task.objects.filter(scope).alias(
        kpi_class=timeliness_expression(today=today, due_soon_until=today, against=against),
        was_extended=Exists(Extension.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.APPROVED)),
    )


def _aggregates() -> dict[str, Count]:
    def of(*classes: str) -> Count:
        return Count("pk", filter=Q(kpi_class__in=classes))

    cancelled = Q(status=TaskStatus.CANCELLED)
    return {
        "assigned": Count("pk", filter=~cancelled),
        "done_on_time": of(Timeliness.DONE_ON_TIME.value),
        "done_late": of(Timeliness.DONE_LATE.value),
        "overdue": of(Timeliness.OVERDUE.value),
        "not_yet_due": of(*NOT_YET_DUE_CLASSES),
        "extended": Count("pk", filter=Q(was_extended=True) & ~cancelled),
        "cancelled": Count("pk", filter=cancelled),
    }


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in FIGURE_NAMES}


def _row(values: dict[str, Any], *, key: Any, label: str, code: str = "") -> Row:
    row = Row(key=key, label=label, code=code)
    for name in FIGURE_NAMES:
        setattr(row, name, values[name])
    return row


def rank_key(row: Figures) -> tuple[Decimal, int, int]:
    return (-(row.on_time_rate or Decimal(0)), -row.done_on_time, row.overdue)


def rank_rows(rows: Iterable[Row]) -> list[Row]:
    """Best first with a competition rank; rows without a rate after, unranked."""
    rows = list(rows)
    ranked = sorted((r for r in rows if r.rate_base), key=lambda r: (rank_key(r), r.label, str(r.key)))
    previous: tuple[Decimal, int, int] | None = None
    for position, row in enumerate(ranked, start=1):
        key = rank_key(row)
        row.rank = position if key != previous else ranked[position - 2].rank
        previous = key
    return ranked + sorted((r for r in rows if not r.rate_base), key=lambda r: (r.label, str(r.key)))


def unit_rows(scope: Q, period: StatPeriod, *, today: datetime.date) -> list[Row]:
    """Per lead unit, ranked. One query."""
    rows = (
        counted_tasks(scope, today=today)
        .filter(period.q())
        .order_by()
        .values("lead_unit_id", "lead_unit__name", "lead_unit__code")
        .annotate(**_aggregates())
    )
    return rank_rows(
        _row(r, key=r["lead_unit_id"], label=r["lead_unit__name"], code=r["lead_unit__code"]) for r in rows
    )


def leader_rows(scope: Q, period: StatPeriod, *, today: datetime.date) -> list[Row]:
    """Per assigning leader, by name. One query."""
    rows = (
        counted_tasks(scope, today=today)
        .filter(period.q())
        .order_by()
        .values("assigned_by_id", "assigned_by__full_name", "assigned_by__username")
        .annotate(**_aggregates())
    )
    out = [
        _row(r, key=r["assigned_by_id"], label=r["assigned_by__full_name"] or r["assigned_by__username"])
        for r in rows
    ]
    return sorted(out, key=lambda r: (r.label, r.key))


def source_rows(scope: Q, period: StatPeriod, *, today: datetime.date) -> list[Row]:
    """Per source (document, meeting conclusion, oral direction), in that order. One query."""
    found = {
        r["source"]: r
        for r in counted_tasks(scope, today=today)
        .filter(period.q())
        .order_by()
        .values("source")
        .annotate(**_aggregates())
    }
    return [
        _row(found[value], key=value, label=str(label))
        for value, label in TaskSource.choices
        if value in found
    ]


def month_rows(scope: Q, period: StatPeriod, *, today: datetime.date) -> list[MonthRow]:
    """Every month of the period, zeros included (the trend). One query."""
    found = {
        r["month"]: r
        for r in counted_tasks(scope, today=today)
        .filter(period.q())
        .annotate(month=TruncMonth("original_deadline"))
        .order_by()
        .values("month")
        .annotate(**_aggregates())
    }
    out = []
    for month in period.months:
        row = found.get(month)
        out.append(MonthRow(month=month, **(_figures(row) if row else {})))
    return out


class PageFigures(NamedTuple):
    """The statistics page's four tables (plain values: kept by ``page_figures``)."""

    units: list[Row]
    leaders: list[Row]
    sources: list[Row]
    months: list[MonthRow]


def page_figures(scope: Q, period: StatPeriod, *, today: datetime.date, whole: bool) -> PageFigures:
    """Per lead unit, per leader and per source (only for a committee seen ``whole``), per
    month: four grouped counts over the committee's tasks (a national Office's province,
    20 ms with their compilation), kept until a write to a table they read commits. The
    scope is plain data (a committee's id, or the units someone heads), so its text is the
    key with the period and the day the classes are read on."""

    def build() -> PageFigures:
        return PageFigures(
            units=unit_rows(scope, period, today=today),
            leaders=leader_rows(scope, period, today=today) if whole else [],
            sources=source_rows(scope, period, today=today) if whole else [],
            months=month_rows(scope, period, today=today),
        )

    key = (str(scope), period.start, period.end, today, whole)
    return kept_while_read("task statistics", key, build)


def total_of(rows: Iterable[Figures]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row)
    return total


# --- Drill-down -------------------------------------------------------------------------------


def cell_q(cell: str) -> Q:
    """The tasks of one column (``CELLS``); every task for an unknown or empty value."""
    if cell == ASSIGNED:
        return ~Q(status=TaskStatus.CANCELLED)
    if cell == EXTENDED:
        return Q(was_extended=True) & ~Q(status=TaskStatus.CANCELLED)
    if cell == Timeliness.NOT_YET_DUE.value:
        return Q(kpi_class__in=NOT_YET_DUE_CLASSES)
    if cell in CELLS:
        return Q(kpi_class=cell)
    return Q()


def cell_tasks(
    scope: Q,
    period: StatPeriod,
    *,
    today: datetime.date,
    cell: str = "",
    against: Against = "original_deadline",
    lead_unit: int | None = None,
    assigned_by: int | None = None,
    source: str = "",
) -> QuerySet[Task]:
    """The tasks behind one number of the tables, oldest deadline first."""
    tasks = counted_tasks(scope, today=today, against=against).filter(period.q(), cell_q(cell))
    if lead_unit is not None:
        tasks = tasks.filter(lead_unit_id=lead_unit)
    if assigned_by is not None:
        tasks = tasks.filter(assigned_by_id=assigned_by)
    if source:
        tasks = tasks.filter(source=source)
    expression = timeliness_expression(today=today, due_soon_until=today, against=against)
    return (
        tasks.annotate(kpi_class_value=expression)
        .select_related("lead_unit", "assigned_by")
        .order_by("original_deadline", "pk")
    )


# --- The periodic report ----------------------------------------------------------------------

REPORT_FILES = "oversight/reports"


@dataclass
class OverdueGroup:
    unit_name: str
    tasks: list[Task]


@dataclass
class ReportData:
    """What the periodic report prints, taken on ``as_of`` (the issue date once issued)."""

    committee: Unit
    period: StatPeriod
    as_of: datetime.date
    units: list[Row]
    sources: list[Row]
    total: Figures
    overdue: list[OverdueGroup]
    program: WorkProgram | None = None
    program_month: datetime.date | None = None
    program_total: kpis.Figures | None = None
    unfinished: list[kpis.UnfinishedGroup] = field(default_factory=list)


def report_period(report: TaskReport) -> StatPeriod:
    """The report's period, labelled in Vietnamese whatever the page's language."""
    with translation.override("vi"):
        return _report_period(report)


def _report_period(report: TaskReport) -> StatPeriod:
    start, end = report.period_start, report.period_end
    if start.month == 1 and start.day == 1 and end == datetime.date(start.year, 12, 31):
        return year_period(start.year)
    if start.day == 1 and end == _last_of_month(start):
        return month_period(start.year, start.month)
    if start.day == 1 and start.month % 3 == 1 and end == _last_of_month(add_months(start, 2)):
        return quarter_period(start.year, (start.month + 2) // 3)
    return span_period(start, end)


def report_data(report: TaskReport, *, as_of: datetime.date) -> ReportData:
    """The figures of the statistics page for the committee and period, the period's
    overdue tasks by lead unit, and the committee's work program as its own KPI building
    blocks count it (``workprogram.reports.kpis``: one way to count): the figures from
    January to the report's month and the items unfinished by then."""
    period = report_period(report)
    scope = Q(committee_id=report.committee_id)
    units = unit_rows(scope, period, today=as_of)
    overdue: dict[int, OverdueGroup] = {}
    for task in cell_tasks(scope, period, today=as_of, cell=Timeliness.OVERDUE.value):
        group = overdue.setdefault(task.lead_unit_id, OverdueGroup(task.lead_unit.name, []))
        group.tasks.append(task)
    data = ReportData(
        committee=report.committee,
        period=period,
        as_of=as_of,
        units=units,
        sources=source_rows(scope, period, today=as_of),
        total=total_of(units),
        overdue=sorted(overdue.values(), key=lambda g: (-len(g.tasks), g.unit_name)),
    )
    month = first_of_month(min(period.end, as_of))
    program = WorkProgram.objects.filter(issuing_unit_id=report.committee_id, year=month.year).first()
    if program is not None:
        grace = kpis.grace_days_of(program)
        rows = kpis.unit_figures(program, kpis.year_to_date(month), Q(), today=as_of, grace_days=grace)
        data.program = program
        data.program_month = month
        data.program_total = kpis.total_of(rows)
        data.unfinished = kpis.unfinished_by_unit(program, month, Q(), today=as_of, grace_days=grace)
    return data


def frozen_report(report: TaskReport) -> bytes | None:
    """The file kept when ``report`` was issued, or None (not issued, or the file is gone)."""
    path = report.document_file
    if not path or not path.startswith(f"{REPORT_FILES}/{report.committee_id}/") or ".." in path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            content: bytes = handle.read()
    except OSError:
        return None
    return content
