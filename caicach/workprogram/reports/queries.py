"""What the monthly reports read: periods and deadlines, the form's rows, who reported on time,
the Office's summary figures, and the data types the report services take."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.choices import kept_while_read
from caicach.core.models import Unit, UnitKind, User
from caicach.core.months import month_label
from caicach.core.permissions import scope_key
from caicach.core.todos import TodoEntry, TodoItem
from caicach.workprogram.models import (
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    MonthlySummary,
    ProgramItem,
    ReportStatus,
    WorkProgram,
    WorkProgramSettings,
)
from caicach.workprogram.programs.queries import settings_for
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports.rules import expected_units, filing_unit_ids, kpi_scope

# --- Periods and deadlines ----------------------------------------------------------------------


def report_due_date(
    program: WorkProgram, period: datetime.date, report_day: int | None = None
) -> datetime.date:
    """The last on-time day of ``program``'s report for ``period``: the day before the
    committee's report day (a report day of 1 means the last day of the previous month), moved
    to the next working day when it falls on a day off (Civil Code Art. 148). Pass
    ``report_day`` to spare reading the settings again."""
    if report_day is None:
        report_day = settings_for(program.issuing_unit_id).report_day
    days_in_month = pycalendar.monthrange(period.year, period.month)[1]
    last_on_time = period + datetime.timedelta(days=min(report_day, days_in_month + 1) - 2)
    return calendar.add_working_days(last_on_time, 0)


def report_months(program: WorkProgram, today: datetime.date) -> list[datetime.date]:
    """The months a report may be filed for: the program's year up to the current month."""
    return [
        datetime.date(program.year, month, 1)
        for month in range(1, 13)
        if datetime.date(program.year, month, 1) <= today.replace(day=1)
    ]


def check_period(program: WorkProgram, period: datetime.date, today: datetime.date) -> None:
    if period.day != 1 or period.year != program.year:
        raise ValidationError(_("Kỳ báo cáo phải là một tháng của năm %(year)s.") % {"year": program.year})
    if period > today.replace(day=1):
        raise ValidationError(_("Chưa đến kỳ báo cáo tháng %(month)s.") % {"month": month_label(period)})


# --- Who reports, on what ---------------------------------------------------------------------------


def report_items_q(period: datetime.date) -> Q:
    """The items a report for ``period`` covers: not yet submitted and due up to that month
    (the delayed ones and the month's own), submitted and awaiting the decision whatever
    their month, and every item due in the month whatever became of it (done is news too).
    Withdrawn and postponed items have left the year's work."""
    return (
        Q(status=ItemStatus.PLANNED, due_month__lte=period)
        | Q(status=ItemStatus.SUBMITTED)
        | Q(due_month=period, status__in=(ItemStatus.PLANNED, ItemStatus.SUBMITTED, ItemStatus.ISSUED))
    )


def report_items(program: WorkProgram, unit: Unit | int, period: datetime.date) -> list[ProgramItem]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        ProgramItem.objects.filter(program=program, lead_unit_id=unit_id)
        .filter(report_items_q(period))
        .order_by("due_month", "position", "pk")
    )


@dataclass(frozen=True)
class LineInput:
    item_id: int
    status: str
    progress_note: str = ""
    delay_cause: str = ""
    remedy: str = ""
    expected_date: datetime.date | None = None


@dataclass(frozen=True)
class ReportContent:
    difficulties: str
    recommendations: str
    lines: tuple[LineInput, ...]


def default_status(item: ProgramItem, period: datetime.date) -> str:
    """What the form proposes: submitted or issued items are done; a planned item due before
    the month is delayed; one due in the month is on track."""
    if item.status in (ItemStatus.SUBMITTED, ItemStatus.ISSUED):
        return LineStatus.DONE
    if item.due_month < period:
        return LineStatus.DELAYED
    return LineStatus.ON_TRACK


@dataclass(frozen=True)
class FormLine:
    item: ProgramItem
    values: LineInput


def form_lines(
    program: WorkProgram, unit: Unit, period: datetime.date, report: MonthlyReport | None
) -> list[FormLine]:
    """The rows of the report form: the items open this month, with what the report
    already says about them (a draft being continued) or the proposed status. Lines of a
    saved report whose item has since left the list stay, so nothing written is lost."""
    items = report_items(program, unit, period)
    saved: dict[int, MonthlyReportLine] = {}
    if report is not None:
        saved = {
            line.item_id: line
            for line in report.lines.select_related("item").order_by("item__position", "item_id")
        }
    rows: list[FormLine] = []
    seen: set[int] = set()
    for item in items:
        line = saved.get(item.pk)
        seen.add(item.pk)
        rows.append(
            FormLine(
                item=item,
                values=_line_values(line) if line else LineInput(item.pk, default_status(item, period)),
            )
        )
    for item_id, line in saved.items():
        if item_id not in seen:
            rows.append(FormLine(item=line.item, values=_line_values(line)))
    return rows


def _line_values(line: MonthlyReportLine) -> LineInput:
    return LineInput(
        item_id=line.item_id,
        status=line.status,
        progress_note=line.progress_note,
        delay_cause=line.delay_cause,
        remedy=line.remedy,
        expected_date=line.expected_date,
    )


def report_form_url(report: MonthlyReport) -> str:
    return reverse(
        "workprogram:report_form",
        kwargs={
            "pk": report.program_id,
            "unit_id": report.unit_id,
            "year": report.period.year,
            "month": report.period.month,
        },
    )


# --- Who has reported -----------------------------------------------------------------------------


ON_TIME = "on_time"
LATE = "late"
PENDING = "pending"  # not sent, the deadline not yet passed
MISSING = "missing"  # not sent, the deadline passed
FUTURE = "future"  # a month not yet open


@dataclass
class UnitMonthStatus:
    period: datetime.date
    state: str
    report: MonthlyReport | None = None

    @property
    def is_draft(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.DRAFT


@dataclass
class UnitReportRow:
    unit: Unit
    months: list[UnitMonthStatus]

    def count(self, state: str) -> int:
        return sum(1 for month in self.months if month.state == state)

    @property
    def late_count(self) -> int:
        return self.count(LATE)

    @property
    def missing_count(self) -> int:
        return self.count(MISSING)

    @property
    def on_time_count(self) -> int:
        return self.count(ON_TIME)


def report_state(report: MonthlyReport | None, due: datetime.date, today: datetime.date) -> str:
    if report is not None and report.status == ReportStatus.SUBMITTED:
        return LATE if report.is_late else ON_TIME
    return PENDING if today <= due else MISSING


def report_matrix(
    program: WorkProgram,
    units: Sequence[Unit],
    *,
    today: datetime.date,
    months: Sequence[datetime.date] | None = None,
) -> list[UnitReportRow]:
    """Each unit's report state for each month of the program's year (or ``months``): one
    query for the reports, one for the settings, whatever the number of units."""
    months = list(months) if months is not None else [datetime.date(program.year, m, 1) for m in range(1, 13)]
    reports = {
        (report.unit_id, report.period): report
        for report in MonthlyReport.objects.filter(
            program=program, unit__in=[unit.pk for unit in units], period__in=months
        ).select_related("submitted_by")
    }
    report_day = settings_for(program.issuing_unit_id).report_day
    due = {month: report_due_date(program, month, report_day) for month in months}
    rows: list[UnitReportRow] = []
    for unit in units:
        cells = []
        for month in months:
            report = reports.get((unit.pk, month))
            state = FUTURE if month > today.replace(day=1) else report_state(report, due[month], today)
            cells.append(UnitMonthStatus(period=month, state=state, report=report))
        rows.append(UnitReportRow(unit=unit, months=cells))
    return rows


@dataclass(frozen=True)
class MonthCount:
    expected: int
    on_time: int
    late: int
    pending: int
    missing: int
    drafts: int


class _MonthState(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def is_draft(self) -> bool: ...


class _UnitMonths(Protocol):
    """A unit's months (``UnitReportRow``, or ``rows.ShownUnitReports`` as the list keeps them)."""

    @property
    def months(self) -> Sequence[_MonthState]: ...


def month_count(rows: Sequence[_UnitMonths], index: int) -> MonthCount:
    cells = [row.months[index] for row in rows]
    return MonthCount(
        expected=len(cells),
        on_time=sum(1 for c in cells if c.state == ON_TIME),
        late=sum(1 for c in cells if c.state == LATE),
        pending=sum(1 for c in cells if c.state == PENDING),
        missing=sum(1 for c in cells if c.state == MISSING),
        drafts=sum(1 for c in cells if c.is_draft),
    )


# --- The Office's monthly summary --------------------------------------------------------------------

DEFAULT_RECIPIENTS = "\n".join(
    (
        "Thường trực UBND tỉnh;",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
        "Các sở, ban, ngành tỉnh;",
        "Lãnh đạo Văn phòng;",
        "Lưu: VT, TH.",
    )
)


def office_of(program: WorkProgram) -> Unit:
    """The Office (Văn phòng UBND) of the committee issuing ``program``: it compiles and
    issues the summary; the committee itself when it has no Office unit."""
    office = (
        Unit.objects.select_related("parent")
        .filter(parent_id=program.issuing_unit_id, kind=UnitKind.OFFICE)
        .order_by("code")
        .first()
    )
    return office or Unit.objects.select_related("parent").get(pk=program.issuing_unit_id)


SUMMARY_FIELDS = ("assessment", "signer_authority", "signer_title", "signer_name", "recipients")


def summary_for(program: WorkProgram, period: datetime.date) -> MonthlySummary:
    """The saved summary of the month, or an unsaved one with the defaults."""
    found = (
        MonthlySummary.objects.select_related("issuing_unit__parent", "registered_document")
        .filter(program=program, period=period)
        .first()
    )
    if found is not None:
        return found
    return MonthlySummary(
        program=program,
        period=period,
        issuing_unit=office_of(program),
        signer_authority="KT. CHÁNH VĂN PHÒNG",
        signer_title="PHÓ CHÁNH VĂN PHÒNG",
        recipients=DEFAULT_RECIPIENTS,
    )


SUMMARY_FILES = "workprogram/summaries"


def frozen_summary(summary: MonthlySummary) -> bytes | None:
    """The file kept when ``summary`` was issued, or None (not issued, or the file is gone)."""
    path = summary.document_file
    if not path or not path.startswith(f"{SUMMARY_FILES}/{summary.program_id}/") or ".." in path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            content: bytes = handle.read()
    except OSError:
        return None
    return content


@dataclass
class UnitText:
    unit: Unit
    text: str


@dataclass
class SummaryData:
    """What the monthly summary says, read afresh from the items and the units' reports."""

    program: WorkProgram
    period: datetime.date
    as_of: datetime.date
    due_date: datetime.date
    status_rows: list[UnitReportRow]
    counts: MonthCount
    month: kpis.Figures
    year_to_date: kpis.Figures
    unit_rows: list[kpis.UnitFigures]
    delayed: list[tuple[str, kpis.UnfinishedItem]]
    difficulties: list[UnitText]
    recommendations: list[UnitText]

    def units_in(self, state: str) -> list[Unit]:
        return [row.unit for row in self.status_rows if row.months[0].state == state]


def summary_data(program: WorkProgram, period: datetime.date, *, as_of: datetime.date) -> SummaryData:
    """Everything the Office's summary for ``period`` reports, with overdue judged on
    ``as_of`` (the issue date, or today for a draft). A fixed number of queries."""
    units = list(expected_units(program))
    status_rows = report_matrix(program, units, today=as_of, months=[period])
    committee = settings_for(program.issuing_unit_id)
    grace = committee.overdue_grace_days
    everything = Q()
    months = kpis.month_figures(program, everything, today=as_of, grace_days=grace)
    upto = [month for month in months if month.month <= period]
    year_to_date = kpis.total_of(upto)
    unit_rows = kpis.unit_figures(
        program, kpis.year_to_date(period), everything, today=as_of, grace_days=grace
    )
    delayed = [
        (group.unit_name, entry)
        for group in kpis.unfinished_by_unit(program, period, everything, today=as_of, grace_days=grace)
        for entry in group.items
        if entry.is_overdue or (entry.reported_in == period and entry.reported_status == LineStatus.DELAYED)
    ]
    delayed.sort(key=lambda pair: (pair[1].item.due_month, pair[0], pair[1].item.position, pair[1].item.pk))
    reports = [
        cell.report
        for row in status_rows
        for cell in row.months
        if cell.report is not None and cell.report.status == ReportStatus.SUBMITTED
    ]
    unit_by_id = {unit.pk: unit for unit in units}
    return SummaryData(
        program=program,
        period=period,
        as_of=as_of,
        due_date=report_due_date(program, period, committee.report_day),
        status_rows=status_rows,
        counts=month_count(status_rows, 0),
        month=months[period.month - 1],
        year_to_date=year_to_date,
        unit_rows=unit_rows,
        delayed=delayed,
        difficulties=[UnitText(unit_by_id[r.unit_id], r.difficulties) for r in reports if r.difficulties],
        recommendations=[
            UnitText(unit_by_id[r.unit_id], r.recommendations) for r in reports if r.recommendations
        ],
    )


def kept_summary_data(program: WorkProgram, period: datetime.date, *, as_of: datetime.date) -> SummaryData:
    """``summary_data`` for the summary's page and its draft, kept until a write to a table
    it read commits (``kept_while_read``): a province's month cost some 40 ms a visit to
    count again (every unit's report, the year's figures, the delayed items). The program's
    own row was read by the caller: its fields are part of the key. The issued document is
    compiled afresh by the issuing service, never from here."""
    program_row = tuple(
        (field.attname, getattr(program, field.attname)) for field in program._meta.concrete_fields
    )
    return kept_while_read(
        "monthly summary", (program_row, period, as_of), lambda: summary_data(program, period, as_of=as_of)
    )


# --- Unfinished items, a page of lead units -------------------------------------------------------

UNFINISHED_UNITS_PER_PAGE = 20


class UnfinishedEntry(NamedTuple):
    """An unfinished item as its row shows it, with the lead unit's latest explanation."""

    url: str
    title: str
    due_month: datetime.date
    is_overdue: bool
    delay_cause: str
    remedy: str
    expected_date: datetime.date | None
    reported_in: datetime.date | None
    progress_note: str


class UnfinishedUnit(NamedTuple):
    unit_id: int
    unit_name: str
    heads: tuple[str, ...]
    items: tuple[UnfinishedEntry, ...]


class UnfinishedPage(NamedTuple):
    summary: kpis.UnfinishedSummary
    number: int  # the page shown (the last when asked for one past it)
    groups: tuple[UnfinishedUnit, ...]


def unfinished_page(
    user: User, program: WorkProgram, month: datetime.date, *, today: datetime.date, page: str | None
) -> UnfinishedPage:
    """The unfinished list's totals and one page of its lead units (most unfinished first)
    as plain values, kept until a write to a table they read commits
    (``kept_while_read``): a province's page read its items, their explanations and the
    units' heads again on every visit (25 ms). The scope (``kpi_scope``) is a function of
    the asker's grants and the program's issuing unit, both in the key."""

    def build() -> UnfinishedPage:
        scope = kpi_scope(user, program)
        summary = kpis.unfinished_summary(program, month, scope, today=today)
        paginator = Paginator(range(summary.unit_count), UNFINISHED_UNITS_PER_PAGE)
        shown = paginator.get_page(page)
        unit_ids = list(
            kpis.unfinished_unit_ids(program, month, scope, today=today)[
                shown.start_index() - 1 if summary.unit_count else 0 : shown.end_index()
            ]
        )
        groups = kpis.unfinished_by_unit(program, month, scope, today=today, unit_ids=unit_ids)
        return UnfinishedPage(summary, shown.number, tuple(_unfinished_unit(group) for group in groups))

    key = (scope_key(user), program.pk, program.issuing_unit_id, month, today, str(page))
    return kept_while_read("unfinished items page", key, build)


def _unfinished_unit(group: kpis.UnfinishedGroup) -> UnfinishedUnit:
    return UnfinishedUnit(
        group.unit_id,
        group.unit_name,
        tuple(group.heads),
        tuple(
            UnfinishedEntry(
                url=entry.item.get_absolute_url(),
                title=entry.item.title,
                due_month=entry.item.due_month,
                is_overdue=entry.is_overdue,
                delay_cause=entry.delay_cause,
                remedy=entry.remedy,
                expected_date=entry.expected_date,
                reported_in=entry.reported_in,
                progress_note=entry.progress_note,
            )
            for entry in group.items
        ),
    )


# --- The home page's to-do kind ------------------------------------------------------------------


def reports_due(user: User, limit: int) -> TodoEntry | None:
    """The reports of this year not yet sent by the units where ``user`` files them — this
    month's, and any earlier month's still missing (what the Office's table shows as
    missing) — each with its last on-time day (the committee's report day, moved by the
    working-day calendar) and whether that day has passed; the most recent month first.

    One query: the (program, unit) pairs the person reports for — a handful, whatever the
    number of months — each with one EXISTS per month of the year so far."""
    units = filing_unit_ids(user)
    if not units:
        return None
    today = clock.today()
    months = [datetime.date(today.year, number, 1) for number in range(1, today.month + 1)]
    default_day = WorkProgramSettings._meta.get_field("report_day").get_default()
    report_day = WorkProgramSettings.objects.filter(unit_id=OuterRef("program__issuing_unit_id")).values(
        "report_day"
    )[:1]
    sent = {
        f"sent_{month.month}": Exists(
            MonthlyReport.objects.filter(
                program_id=OuterRef("program_id"),
                unit_id=OuterRef("lead_unit_id"),
                period=month,
                status=ReportStatus.SUBMITTED,
            )
        )
        for month in months
    }
    # The units expected to report (``expected_units``: lead units of items not withdrawn).
    pairs = (
        ProgramItem.objects.filter(program__year=today.year, lead_unit_id__in=sorted(units))
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("program_id", "lead_unit_id", "program__title", "lead_unit__name", "lead_unit__short_name")
        .annotate(items=Count("pk"), report_day=Coalesce(Subquery(report_day), default_day), **sent)
        .order_by("program_id", "lead_unit_id")
    )
    due: list[tuple[datetime.date, datetime.date, dict[str, Any]]] = [
        (report_due_date(WorkProgram(pk=pair["program_id"]), month, pair["report_day"]), month, pair)
        for pair in pairs
        for month in months
        if not pair[f"sent_{month.month}"]
    ]
    due.sort(key=lambda entry: (entry[0], entry[2]["program_id"], entry[2]["lead_unit_id"]), reverse=True)
    items = []
    for deadline, month, pair in due[:limit]:
        is_late = today > deadline
        unit = pair["lead_unit__short_name"] or pair["lead_unit__name"]
        items.append(
            TodoItem(
                label=_("Báo cáo tháng %(month)s: %(program)s")
                % {"month": month_label(month), "program": pair["program__title"]},
                url=report_form_url(
                    MonthlyReport(program_id=pair["program_id"], unit_id=pair["lead_unit_id"], period=month)
                ),
                detail=(
                    _("%(unit)s, hạn gửi đã qua: hết ngày %(day)s")
                    if is_late
                    else _("%(unit)s, hạn gửi: hết ngày %(day)s")
                )
                % {"unit": unit, "day": f"{deadline:%d/%m/%Y}"},
                late=is_late,
            )
        )
    programs = {pair["program_id"] for _deadline, _month, pair in due}
    more_url = reverse("workprogram:report_list", args=[programs.pop()]) if len(programs) == 1 else ""
    return TodoEntry(
        key="workprogram.reports_due",
        title=gettext_lazy("Báo cáo tháng cần gửi"),
        count=len(due),
        items=items,
        more_url=more_url,
        late_count=sum(1 for deadline, _month, _pair in due if today > deadline),
    )
