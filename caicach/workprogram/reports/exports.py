"""Every table of the KPI and report pages as an .xlsx workbook (openpyxl): counts as numbers,
ratios as real fractions shown in per cent, months and dates as real Excel dates, so the
Office can sum, sort and chart them further."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation

from caicach.core import exports
from caicach.workprogram.reports.kpis import Figures, MonthFigures, Period, UnfinishedGroup, UnitFigures
from caicach.workprogram.reports.queries import LATE, MISSING, ON_TIME, PENDING, UnitReportRow

XLSX_CONTENT_TYPE = exports.XLSX_CONTENT_TYPE

PERCENT = "percent"
DATE = "date"
MONTH = "month"

FIGURE_HEADER = (
    "Phải trình",
    "Đã trình",
    "Đã ban hành",
    "Chưa trình",
    "Quá hạn",
    "Trình đúng hạn",
    "Tỷ lệ đã trình",
    "Tỷ lệ ban hành",
    "Tỷ lệ đúng hạn",
)
FIGURE_KINDS = ("", "", "", "", "", "", PERCENT, PERCENT, PERCENT)


@dataclass
class Sheet:
    title: str
    heading: Sequence[str]  # lines above the table: what, which program, which period
    header: Sequence[str]
    rows: list[Sequence[Any]]
    kinds: Sequence[str] = ()  # per column: "", PERCENT, DATE, MONTH
    widths: Sequence[int] = ()
    bold_rows: set[int] = field(default_factory=set)  # indices into rows (totals)


def _fraction(value: Decimal | None, numerator: int, denominator: int) -> float | None:
    """The exact ratio (Excel shows it in per cent); empty when undefined."""
    return None if value is None or not denominator else numerator / denominator


def figure_cells(figures: Figures) -> list[Any]:
    return [
        figures.due,
        figures.submitted,
        figures.issued,
        figures.not_submitted,
        figures.overdue,
        figures.on_time,
        _fraction(figures.submitted_percent, figures.submitted, figures.due),
        _fraction(figures.issued_percent, figures.issued, figures.due),
        _fraction(figures.on_time_percent, figures.on_time, figures.submitted),
    ]


def workbook(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.title[:31]
    bold = Font(bold=True)
    for number, line in enumerate(sheet.heading, start=1):
        ws.append(exports.row(ws, [line], font=bold if number == 1 else None))
    if sheet.heading:
        ws.append([])
    ws.append(exports.row(ws, sheet.header, font=bold, alignment=Alignment(wrap_text=True, vertical="top")))
    header_row = ws.max_row
    for index, row in enumerate(sheet.rows):
        ws.append(exports.row(ws, row, font=bold if index in sheet.bold_rows else None))
    formats = {PERCENT: "0.0%", DATE: "DD/MM/YYYY", MONTH: "MM/YYYY"}
    for column, kind in enumerate(sheet.kinds, start=1):
        if kind in formats:
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                cell.number_format = formats[kind]
    for column, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kpi_units_sheet(program_title: str, period: Period, rows: Sequence[UnitFigures], total: Figures) -> Sheet:
    with translation.override("vi"):
        label = period.label
    body: list[Sequence[Any]] = [[row.rank, row.unit_name, *figure_cells(row)] for row in rows]
    body.append(["", "Tổng cộng", *figure_cells(total)])
    return Sheet(
        title="Chỉ số theo đơn vị",
        heading=(f"Kết quả thực hiện {program_title}", f"Kỳ: {label}"),
        header=("Hạng", "Cơ quan chủ trì", *FIGURE_HEADER),
        rows=body,
        kinds=("", "", *FIGURE_KINDS),
        widths=(7, 44, 11, 11, 12, 11, 10, 12, 12, 12, 12),
        bold_rows={len(body) - 1},
    )


def kpi_months_sheet(program_title: str, unit_name: str, months: Sequence[MonthFigures]) -> Sheet:
    body: list[Sequence[Any]] = [[month.month, *figure_cells(month)] for month in months]
    total = Figures()
    for month in months:
        total.add(month)
    body.append(["Cả năm", *figure_cells(total)])
    return Sheet(
        title="Theo tháng",
        heading=(f"Kết quả thực hiện {program_title} theo tháng", f"Đơn vị: {unit_name}"),
        header=("Tháng", *FIGURE_HEADER),
        rows=body,
        kinds=(MONTH, *FIGURE_KINDS),
        widths=(12, 11, 11, 12, 11, 10, 12, 12, 12, 12),
        bold_rows={len(body) - 1},
    )


def unfinished_sheet(program_title: str, month: datetime.date, groups: Sequence[UnfinishedGroup]) -> Sheet:
    body: list[Sequence[Any]] = []
    number = 0
    for group in groups:
        for entry in group.items:
            number += 1
            body.append(
                [
                    number,
                    group.unit_name,
                    ", ".join(group.heads),
                    entry.item.title,
                    entry.item.due_month,
                    "Quá hạn" if entry.is_overdue else "Trong hạn",
                    entry.delay_cause,
                    entry.remedy,
                    entry.expected_date,
                ]
            )
    return Sheet(
        title="Chưa hoàn thành",
        heading=(
            f"Nội dung chưa hoàn thành đến hết tháng {month.month}/{month.year} — {program_title}",
            "Thủ trưởng cơ quan chủ trì báo cáo, giải trình tại phiên họp UBND thường kỳ",
        ),
        header=(
            "STT",
            "Cơ quan chủ trì",
            "Thủ trưởng",
            "Nội dung, đề án",
            "Thời hạn trình",
            "Tình trạng",
            "Nguyên nhân chậm",
            "Giải pháp khắc phục",
            "Dự kiến hoàn thành",
        ),
        rows=body,
        kinds=("", "", "", "", MONTH, "", "", "", DATE),
        widths=(6, 36, 26, 60, 12, 11, 40, 40, 14),
    )


STATE_LABELS = {ON_TIME: "Đúng hạn", LATE: "Muộn", PENDING: "Chưa đến hạn", MISSING: "Chưa gửi"}


def report_status_sheet(
    program_title: str, rows: Sequence[UnitReportRow], months: Sequence[datetime.date]
) -> Sheet:
    body: list[Sequence[Any]] = []
    for row in rows:
        cells = [STATE_LABELS.get(cell.state, "") for cell in row.months]
        body.append([row.unit.name, *cells, row.on_time_count, row.late_count, row.missing_count])
    return Sheet(
        title="Tình hình báo cáo",
        heading=(f"Tình hình gửi báo cáo tháng — {program_title}",),
        header=("Đơn vị", *(f"T{m.month}/{m.year}" for m in months), "Đúng hạn", "Muộn", "Chưa gửi"),
        rows=body,
        widths=(44, *(11 for _ in months), 10, 8, 10),
    )
