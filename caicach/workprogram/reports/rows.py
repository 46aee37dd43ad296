"""Who has reported, as the report list shows it: written in Python and kept.

A province's list cost some 30 ms at national scale: its units' reports for the twelve
months read as model rows with their senders (13 ms), then the year's table, a cell per unit
and month with its conditions, and the month's table with an included badge per unit, drawn
by the template engine (15 ms). So each unit's year is read as plain values and its row of
the year's table written once (``report_rows``), kept under the statement finding the units
(the reader's scope) and the day until a write to a table read commits, or the working
calendar changes; the month's table, whose actions depend on the reader, is written from them
on each visit (``month_rows``). A test renders the template these replaced and compares."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from caicach.core.choices import kept_while_read
from caicach.core.models import Unit
from caicach.core.web import object_urls
from caicach.workprogram.models import ReportStatus, WorkProgram
from caicach.workprogram.reports.queries import LATE, MISSING, ON_TIME, PENDING, report_matrix


class ShownCell(NamedTuple):
    """A unit's report for a month, as the tables show it."""

    state: str
    report_id: int | None
    is_submitted: bool
    is_draft: bool
    submitted_at: str  # "dd/mm/yyyy hh:mm" in the local time, or ""
    submitted_by: str


class ShownUnitReports(NamedTuple):
    """A unit's year of reports: a cell per month and its row of the year's table."""

    unit_id: int
    name: str
    months: tuple[ShownCell, ...]
    year_row: str


def report_rows(
    program: WorkProgram, units: QuerySet[Unit], *, today: datetime.date
) -> list[ShownUnitReports]:
    """Each of ``units`` (``rules.report_units_for``: the reader's) with its year of reports
    on ``program`` as of ``today``, kept under the units' statement, the program and the day."""
    try:
        statement = units.query.sql_with_params()
    except EmptyResultSet:  # an empty scope: nothing to keep
        return []
    # The program's year and committee, read before: its months and its due days.
    key = (units.db, *statement, program.pk, program.year, program.issuing_unit_id, today)
    return kept_while_read("monthly reports: a program's rows", key, lambda: _shown(program, units, today))


def _shown(program: WorkProgram, units: QuerySet[Unit], today: datetime.date) -> list[ShownUnitReports]:
    report_url = object_urls("workprogram:report_detail")
    shown = []
    for row in report_matrix(program, list(units), today=today):
        months = tuple(
            ShownCell(
                state=cell.state,
                report_id=cell.report.pk if cell.report is not None else None,
                is_submitted=cell.report is not None and cell.report.status == ReportStatus.SUBMITTED,
                is_draft=cell.is_draft,
                submitted_at=_moment(cell.report.submitted_at) if cell.report is not None else "",
                submitted_by=str(cell.report.submitted_by or "") if cell.report is not None else "",
            )
            for cell in row.months
        )
        shown.append(
            ShownUnitReports(row.unit.pk, row.unit.name, months, _year_row(row.unit.name, months, report_url))
        )
    return shown


def _moment(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _year_row(name: str, months: Sequence[ShownCell], report_url: Callable[[int], str]) -> str:
    late_mark = escape(pgettext("report late", "M"))
    cells = []
    for cell in months:
        if cell.report_id is not None and cell.is_submitted:
            mark = late_mark if cell.state == LATE else "✓"
            title = escape(cell.submitted_at[:10])
            inner = f'<a href="{escape(report_url(cell.report_id))}" title="{title}">{mark}</a>'
        else:
            inner = {MISSING: "✗", PENDING: "…"}.get(cell.state, "")
        cells.append(f'<td class="num report-cell report-{escape(cell.state)}">{inner}</td>')
    counts = [sum(1 for cell in months if cell.state == state) for state in (ON_TIME, LATE, MISSING)]
    return (
        f'<tr><th scope="row">{escape(name)}</th>{"".join(cells)}'
        + "".join(f'<td class="num">{count}</td>' for count in counts)
        + "</tr>"
    )


def state_badge(cell: ShownCell) -> str:
    """The badge of a unit's report for the month (and "being drafted")."""
    badges = {
        ON_TIME: ("badge badge-ok", gettext("Đúng hạn")),
        LATE: ("badge badge-warn", gettext("Gửi muộn")),
        MISSING: ("badge badge-danger", gettext("Chưa gửi")),
        PENDING: ("badge", gettext("Chưa đến hạn")),
    }
    css, label = badges.get(cell.state, ("", ""))
    badge = f'<span class="{css}">{escape(label)}</span>' if css else ""
    if cell.is_draft:
        badge += f' <span class="badge">{escape(gettext("Đang soạn"))}</span>'
    return badge


def month_rows(
    shown: Sequence[ShownUnitReports],
    index: int,
    *,
    program: WorkProgram,
    period: datetime.date,
    period_open: bool,
    may_file: Callable[[int], bool],
) -> str:
    """The month's table: each unit's report of month ``index`` and what the reader may do
    with it (``may_file``: whether the reader files the unit's reports)."""
    report_url = object_urls("workprogram:report_detail")
    texts = {
        "view": escape(gettext("Xem báo cáo")),
        "draft": escape(gettext("Xem bản nháp")),
        "continue": escape(gettext("Tiếp tục báo cáo")),
        "start": escape(gettext("Lập báo cáo")),
    }
    written = []
    for unit in shown:
        cell = unit.months[index]
        if cell.report_id is not None and cell.is_submitted:
            action = f'<a href="{escape(report_url(cell.report_id))}">{texts["view"]}</a>'
        elif period_open and may_file(unit.unit_id):
            url = reverse(
                "workprogram:report_form",
                kwargs={
                    "pk": program.pk,
                    "unit_id": unit.unit_id,
                    "year": period.year,
                    "month": period.month,
                },
            )
            label = texts["continue"] if cell.report_id is not None else texts["start"]
            action = f'<a class="btn btn-small btn-primary" href="{escape(url)}">{label}</a>'
        elif cell.report_id is not None:
            action = f'<a href="{escape(report_url(cell.report_id))}">{texts["draft"]}</a>'
        else:
            action = ""
        written.append(
            f'<tr><th scope="row">{escape(unit.name)}</th><td>{state_badge(cell)}</td>'
            f"<td>{cell.submitted_at or '—'}</td><td>{escape(cell.submitted_by or '—')}</td>"
            f"<td>{action}</td></tr>"
        )
    return "".join(written)
