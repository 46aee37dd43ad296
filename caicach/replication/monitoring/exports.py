"""The laggard list as an .xlsx workbook, streamed row by row (openpyxl write-only): memory
stays flat whatever the number of rows; text goes through the one export writer."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable
from typing import Any

from django.utils import translation

from caicach.core import exports
from caicach.replication.models import AdoptionStatus, Obligation
from caicach.replication.monitoring.queries import reasons

HEADER = (
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Mô hình, giải pháp",
    "Văn bản chỉ đạo",
    "Mức độ triển khai theo báo cáo gần nhất",
    "Kỳ báo cáo gần nhất",
    "Lý do",
)
WIDTHS = (6, 12, 40, 44, 36, 22, 14, 44)


def laggards_workbook(rows: Iterable[Obligation], *, heading: str, today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đơn vị chậm triển khai")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    bold = Font(bold=True)
    sheet.append(exports.row(sheet, [heading], font=bold))
    sheet.append(exports.row(sheet, [f"Tính đến ngày {today:%d/%m/%Y}"]))
    sheet.append([])
    sheet.append(exports.row(sheet, HEADER, font=bold, alignment=Alignment(wrap_text=True, vertical="top")))
    with translation.override("vi"):  # a workbook is Vietnamese, whatever the page's language
        _append_rows(sheet, rows)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        return handle.read()


def _append_rows(sheet: Any, rows: Iterable[Obligation]) -> None:
    for number, obligation in enumerate(rows, start=1):
        status = getattr(obligation, "latest_status", None)
        period = getattr(obligation, "latest_period", None)
        sheet.append(
            [
                exports.cell(sheet, number),
                exports.cell(sheet, obligation.unit.code),
                exports.cell(sheet, obligation.unit.name),
                exports.cell(sheet, obligation.practice.name),
                exports.cell(sheet, obligation.directive.title),
                exports.cell(sheet, str(AdoptionStatus(status).label) if status else "Chưa báo cáo"),
                exports.cell(sheet, period, number_format="DD/MM/YYYY")
                if period
                else exports.cell(sheet, ""),
                exports.cell(sheet, "; ".join(reasons(obligation))),
            ]
        )
