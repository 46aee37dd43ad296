"""The statistics as one .xlsx workbook (a sheet per table), streamed: openpyxl's write-only
mode writes row by row to a temporary file the response then streams, so memory stays flat.
Every cell goes through the one export writer (``caicach.core.exports``); counts are numbers
and the on-time rate a real fraction shown in per cent, so the Office can sum and chart."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Sequence
from typing import IO, Any

from caicach.core import exports
from caicach.oversight.statistics.queries import Figures, MonthRow, Row, StatPeriod

XLSX_CONTENT_TYPE = exports.XLSX_CONTENT_TYPE

FIGURE_HEADER = (
    "Số nhiệm vụ được giao",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Quá hạn",
    "Chưa đến hạn",
    "Được gia hạn",
    "Đã hủy",
    "Tỷ lệ đúng hạn",
)


def figure_cells(figures: Figures) -> list[Any]:
    rate = figures.done_on_time / figures.rate_base if figures.rate_base else None
    return [*figures.as_tuple(), rate]


def _sheet(
    book: Any,
    title: str,
    heading: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int],
    month_column: bool = False,
) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    bold = Font(bold=True)
    for number, line in enumerate(heading):
        sheet.append(exports.row(sheet, [line], font=bold if number == 0 else None))
    sheet.append([])
    sheet.append(exports.row(sheet, header, font=bold, alignment=Alignment(wrap_text=True, vertical="top")))
    last = len(rows) - 1
    for index, values in enumerate(rows):
        font = bold if index == last else None
        cells = []
        for column, value in enumerate(values):
            if column == len(values) - 1 and value is not None and not isinstance(value, str):
                cells.append(exports.cell(sheet, value, number_format="0.0%", font=font))
            elif month_column and column == 0 and isinstance(value, datetime.date):
                cells.append(exports.cell(sheet, value, number_format="MM/YYYY", font=font))
            else:
                cells.append(exports.cell(sheet, value, font=font))
        sheet.append(cells)


def statistics_workbook(
    *,
    title: str,
    period: StatPeriod,
    today: datetime.date,
    units: Sequence[Row],
    leaders: Sequence[Row],
    sources: Sequence[Row],
    months: Sequence[MonthRow],
    total: Figures,
) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start (the caller streams it)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    heading = (
        title,
        f"Kỳ: {period.label} (theo thời hạn ban đầu)",
        f"Số liệu tính đến ngày {today:%d/%m/%Y}",
    )
    total_row = ["", "Tổng cộng", *figure_cells(total)]
    _sheet(
        book,
        "Theo cơ quan chủ trì",
        heading,
        ("Hạng", "Cơ quan chủ trì", *FIGURE_HEADER),
        [*([row.rank, row.label, *figure_cells(row)] for row in units), total_row],
        widths=(7, 44, 12, 12, 12, 10, 10, 10, 9, 11),
    )
    if leaders:
        _sheet(
            book,
            "Theo lãnh đạo giao",
            heading,
            ("STT", "Lãnh đạo giao", *FIGURE_HEADER),
            [*([n, row.label, *figure_cells(row)] for n, row in enumerate(leaders, start=1)), total_row],
            widths=(6, 32, 12, 12, 12, 10, 10, 10, 9, 11),
        )
    if sources:
        _sheet(
            book,
            "Theo nguồn giao",
            heading,
            ("STT", "Nguồn giao", *FIGURE_HEADER),
            [*([n, row.label, *figure_cells(row)] for n, row in enumerate(sources, start=1)), total_row],
            widths=(6, 32, 12, 12, 12, 10, 10, 10, 9, 11),
        )
    _sheet(
        book,
        "Theo tháng",
        heading,
        ("Tháng", *FIGURE_HEADER),
        [*([row.month, *figure_cells(row)] for row in months), ["Cả kỳ", *figure_cells(total)]],
        widths=(12, 12, 12, 12, 10, 10, 10, 9, 11),
        month_column=True,
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response that streams it)
    book.save(handle)
    handle.seek(0)
    return handle
