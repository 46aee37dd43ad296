"""Work programs, their items, the units' monthly reports (read and filed) and the KPIs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam
from ninja.params.functions import Query as QueryParam
from pydantic.config import JsonDict

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS, WRITE_ERRORS, not_found, rows_refused
from caicach.api.http import caller, fetch, if_match
from caicach.api.idempotency import run_once
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.core import clock, search
from caicach.core.models import Unit
from caicach.workprogram.models import (
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    ReportStatus,
    SubmissionKind,
    WorkProgram,
)
from caicach.workprogram.programs import imports
from caicach.workprogram.programs.rules import items_for, programs_for
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.queries import LineInput, ReportContent
from caicach.workprogram.reports.rules import kpi_scope, monthly_reports_for

router = Router(tags=["workprogram"], auth=auth_for("workprogram"))

TEXT_MAX = 10_000
# Rows of one import request: a year's program is a few hundred items.
ITEM_IMPORT_MAX_ROWS = 1000
PERIOD_PATTERN = r"^(y|q[1-4]|m([1-9]|1[0-2]))$"


def rate(value: Decimal | None) -> float | None:
    """A percentage of the KPI module (85.7) as the API's decimal fraction (0.857)."""
    return None if value is None else float(value / 100)


# --- Programs and items ---------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    issuing_unit_id: int
    year: int
    title: str
    decision_number: str
    decision_date: datetime.date | None
    version: int

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 2,
                    "issuing_unit_id": 1,
                    "year": 2024,
                    "title": "Chương trình công tác năm 2024 của UBND tỉnh",
                    "decision_number": "123/QĐ-UBND",
                    "decision_date": "2023-12-28",
                    "version": 4,
                }
            ]
        }
    }


class ProgramFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    issuing_unit_id: int | None = Field(None, ge=1, le=MAX_ID)

    model_config = {"json_schema_extra": {"examples": [{"year": 2024, "issuing_unit_id": 1}]}}


class ItemOut(Schema):
    id: int
    program_id: int
    position: int
    title: str
    submission_kind: SubmissionKind
    is_legal_document: bool
    lead_unit_id: int
    supervising_leader_id: int | None
    due_month: datetime.date = Field(..., description="Tháng trình (ngày đầu tháng).")
    original_due_month: datetime.date
    status: ItemStatus
    submitted_on: datetime.date | None
    issued_on: datetime.date | None
    version: int

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 118,
                    "program_id": 2,
                    "position": 12,
                    "title": "Đề án nâng cao chất lượng dịch vụ công trực tuyến",
                    "submission_kind": "committee",
                    "is_legal_document": False,
                    "lead_unit_id": 7,
                    "supervising_leader_id": 5,
                    "due_month": "2024-06-01",
                    "original_due_month": "2024-05-01",
                    "status": "planned",
                    "submitted_on": None,
                    "issued_on": None,
                    "version": 3,
                }
            ]
        }
    }


class ItemFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo nội dung (không dấu cũng được).")
    program_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: ItemStatus | None = None
    lead_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_month: datetime.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "q": "dich vu cong",
                    "program_id": 2,
                    "status": "planned",
                    "lead_unit_id": 7,
                    "due_month": "2024-06-01",
                }
            ]
        }
    }


@router.get("/programs", response={200: Page[ProgramOut], **COMMON_ERRORS}, summary="Danh sách chương trình")
def program_list(
    request: HttpRequest, filters: Query[ProgramFilters], page: Query[PageParams]
) -> Page[ProgramOut]:
    rows = programs_for(caller(request))
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.issuing_unit_id:
        rows = rows.filter(issuing_unit_id=filters.issuing_unit_id)
    items, cursor = items_of(rows, page, ProgramOut)
    return Page[ProgramOut](items=items, next_cursor=cursor)


@router.get("/programs/{program_id}", response={200: ProgramOut, **COMMON_ERRORS}, summary="Một chương trình")
def program_detail(request: HttpRequest, program_id: int) -> ProgramOut:
    return ProgramOut.model_validate(
        fetch(request, programs_for(caller(request)), program_id), from_attributes=True
    )


@router.get("/items", response={200: Page[ItemOut], **COMMON_ERRORS}, summary="Nội dung, đề án trình")
def item_list(request: HttpRequest, filters: Query[ItemFilters], page: Query[PageParams]) -> Page[ItemOut]:
    rows = items_for(caller(request))
    if filters.program_id:
        rows = rows.filter(program_id=filters.program_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.lead_unit_id:
        rows = rows.filter(lead_unit_id=filters.lead_unit_id)
    if filters.due_month:
        rows = rows.filter(due_month=filters.due_month.replace(day=1))
    rows = search.search(rows, filters.q)
    items, cursor = items_of(rows, page, ItemOut)
    return Page[ItemOut](items=items, next_cursor=cursor)


@router.get("/items/{item_id}", response={200: ItemOut, **COMMON_ERRORS}, summary="Một nội dung")
def item_detail(request: HttpRequest, item_id: int) -> ItemOut:
    return ItemOut.model_validate(fetch(request, items_for(caller(request)), item_id), from_attributes=True)


class ItemImportRow(Schema):
    position: int | None = Field(None, ge=1, le=10_000, description="Số thứ tự; trống: nối tiếp.")
    title: str = Field(..., min_length=1, max_length=TEXT_MAX)
    submission_kind: SubmissionKind
    is_legal_document: bool = False
    lead_unit: str = Field(..., min_length=1, max_length=255, description="Mã (hoặc tên) cơ quan chủ trì.")
    coordinating_units: list[str] = Field(
        default_factory=list, max_length=50, description="Mã (hoặc tên) các cơ quan phối hợp."
    )
    supervising_leader: str = Field("", max_length=255, description="Tên đăng nhập (hoặc họ tên) lãnh đạo.")
    due_month: datetime.date = Field(..., description="Tháng trình (ngày nào trong tháng cũng được).")
    monitoring_officer: str = Field("", max_length=255, description="Tên đăng nhập chuyên viên theo dõi.")
    notes: str = Field("", max_length=TEXT_MAX)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "title": "Đề án nâng cao chất lượng dịch vụ công trực tuyến",
                    "submission_kind": "committee",
                    "is_legal_document": False,
                    "lead_unit": "STTTT",
                    "coordinating_units": ["SNV"],
                    "supervising_leader": "pct.vanhoa",
                    "due_month": "2024-06-01",
                    "monitoring_officer": "",
                    "notes": "",
                }
            ]
        }
    }


class ItemImportIn(Schema):
    rows: list[ItemImportRow] = Field(..., min_length=1, max_length=ITEM_IMPORT_MAX_ROWS)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "rows": [
                        {
                            "title": "Đề án nâng cao chất lượng dịch vụ công trực tuyến",
                            "submission_kind": "committee",
                            "is_legal_document": False,
                            "lead_unit": "STTTT",
                            "coordinating_units": ["SNV", "VP"],
                            "supervising_leader": "pct.vanhoa",
                            "due_month": "2024-06-01",
                            "notes": "",
                        }
                    ]
                }
            ]
        }
    }


class ItemImportOut(Schema):
    created: int
    item_ids: list[int]

    model_config = {"json_schema_extra": {"examples": [{"created": 2, "item_ids": [118, 119]}]}}


@router.post(
    "/programs/{program_id}/items/import",
    response={200: ItemImportOut, **WRITE_ERRORS},
    summary="Văn phòng nhập các nội dung vào chương trình",
    description=(
        "Tất cả hoặc không: một dòng sai thì không nhập dòng nào, lỗi từng dòng trong `fields` "
        "(`rows.3`: dòng thứ 3). Cùng kiểm tra như khi nhập từ tệp Excel. Idempotency-Key: gửi lại "
        "cùng khóa không nhập thêm."
    ),
)
def item_import(
    request: HttpRequest,
    program_id: int,
    payload: ItemImportIn,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    # Seen (else 404); whether the caller may import is the service's own check (403).
    program = fetch(request, programs_for(user), program_id)
    # The sheet's values by field, numbered as the client numbered its rows (from 1).
    rows = [
        (
            number,
            {
                **row.model_dump(exclude={"coordinating_units"}),
                "coordinating_units": ";".join(row.coordinating_units),
            },
        )
        for number, row in enumerate(payload.rows, start=1)
    ]

    def write() -> tuple[int, Any]:
        result = imports.program_import_rows(actor=user, program=program, rows=rows, source=_("Nhập qua API"))
        if result.errors:
            # Refused inside the write: the idempotency claim rolls back with it, so the corrected
            # request may reuse the key.
            message = _("Chưa nhập nội dung nào: %(count)s lỗi. Sửa các dòng được nêu rồi gửi lại.")
            raise rows_refused(result.errors, message % {"count": len(result.errors)})
        return 200, ItemImportOut(created=result.created, item_ids=result.item_ids).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))


# --- Monthly reports ------------------------------------------------------------------------------


LINE_EXAMPLE: JsonDict = {
    "item_id": 118,
    "status": "delayed",
    "progress_note": "",
    "delay_cause": "Chờ ý kiến thẩm định của Sở Tư pháp",
    "remedy": "Đôn đốc cơ quan thẩm định",
    "expected_date": "2024-07-15",
}


class LineOut(Schema):
    item_id: int
    status: LineStatus
    progress_note: str
    delay_cause: str
    remedy: str
    expected_date: datetime.date | None

    model_config = {"json_schema_extra": {"examples": [LINE_EXAMPLE]}}


class MonthlyReportOut(Schema):
    id: int
    program_id: int
    unit_id: int
    period: datetime.date = Field(..., description="Tháng báo cáo (ngày đầu tháng).")
    due_date: datetime.date
    status: ReportStatus
    submitted_at: datetime.datetime | None
    is_late: bool
    difficulties: str
    recommendations: str
    version: int = Field(..., description="Gửi lại trong If-Match khi sửa báo cáo.")
    lines: list[LineOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 40,
                    "program_id": 2,
                    "unit_id": 7,
                    "period": "2024-06-01",
                    "due_date": "2024-06-14",
                    "status": "submitted",
                    "submitted_at": "2024-06-12T16:05:00+07:00",
                    "is_late": False,
                    "difficulties": "Thiếu nhân lực chuyên trách.",
                    "recommendations": "",
                    "version": 2,
                    "lines": [LINE_EXAMPLE],
                }
            ]
        }
    }

    @staticmethod
    def of(report: MonthlyReport) -> MonthlyReportOut:
        return MonthlyReportOut(
            id=report.pk,
            program_id=report.program_id,
            unit_id=report.unit_id,
            period=report.period,
            due_date=report.due_date,
            status=ReportStatus(report.status),
            submitted_at=report.submitted_at,
            is_late=report.is_late,
            difficulties=report.difficulties,
            recommendations=report.recommendations,
            version=report.version,
            lines=[LineOut.model_validate(line, from_attributes=True) for line in report.lines.all()],
        )


class ReportFilters(Schema):
    program_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    period: datetime.date | None = None
    status: ReportStatus | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"program_id": 2, "unit_id": 7, "period": "2024-06-01", "status": "submitted"}]
        }
    }


class LineIn(Schema):
    item_id: int = Field(..., ge=1, le=MAX_ID)
    status: LineStatus
    progress_note: str = Field("", max_length=TEXT_MAX)
    delay_cause: str = Field("", max_length=TEXT_MAX)
    remedy: str = Field("", max_length=TEXT_MAX)
    expected_date: datetime.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "item_id": 118,
                    "status": "on_track",
                    "progress_note": "Đang lấy ý kiến các sở",
                    "delay_cause": "",
                    "remedy": "",
                    "expected_date": None,
                }
            ]
        }
    }


class MonthlyReportIn(Schema):
    program_id: int = Field(..., ge=1, le=MAX_ID)
    unit_id: int = Field(..., ge=1, le=MAX_ID, description="Đơn vị chủ trì báo cáo.")
    period: datetime.date = Field(..., description="Tháng báo cáo (ngày nào trong tháng cũng được).")
    submit: bool = Field(False, description="true: gửi Văn phòng; false: lưu nháp.")
    difficulties: str = Field("", max_length=TEXT_MAX)
    recommendations: str = Field("", max_length=TEXT_MAX)
    lines: list[LineIn] = Field(default_factory=list, max_length=500)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "program_id": 1,
                    "unit_id": 4,
                    "period": "2024-03-01",
                    "submit": True,
                    "difficulties": "Thiếu nhân lực chuyên trách.",
                    "recommendations": "",
                    "lines": [{"item_id": 12, "status": "on_track", "progress_note": "Đang lấy ý kiến"}],
                }
            ]
        }
    }


def _reports() -> Any:
    return Prefetch("lines", queryset=MonthlyReportLine.objects.order_by("pk"))


@router.get(
    "/monthly-reports", response={200: Page[MonthlyReportOut], **COMMON_ERRORS}, summary="Báo cáo tháng"
)
def report_list(
    request: HttpRequest, filters: Query[ReportFilters], page: Query[PageParams]
) -> Page[MonthlyReportOut]:
    rows = monthly_reports_for(caller(request)).prefetch_related(_reports())
    if filters.program_id:
        rows = rows.filter(program_id=filters.program_id)
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.period:
        rows = rows.filter(period=filters.period.replace(day=1))
    if filters.status:
        rows = rows.filter(status=filters.status)
    items, cursor = items_of(rows, page, MonthlyReportOut.of)
    return Page[MonthlyReportOut](items=items, next_cursor=cursor)


@router.get(
    "/monthly-reports/{report_id}",
    response={200: MonthlyReportOut, **COMMON_ERRORS},
    summary="Một báo cáo tháng",
)
def report_detail(request: HttpRequest, report_id: int) -> MonthlyReportOut:
    rows = monthly_reports_for(caller(request)).prefetch_related(_reports())
    return MonthlyReportOut.of(fetch(request, rows, report_id))


@router.post(
    "/monthly-reports",
    response={200: MonthlyReportOut, **WRITE_ERRORS},
    summary="Đơn vị lưu hoặc gửi báo cáo tháng",
    description=(
        "Tạo (không gửi If-Match) hoặc sửa (If-Match: version hiện tại) báo cáo tháng của đơn vị "
        "chủ trì. Phiên bản cũ: 409. Idempotency-Key: gửi lại cùng khóa không tạo thêm."
    ),
)
def report_file(
    request: HttpRequest,
    payload: MonthlyReportIn,
    if_match_header: Annotated[
        str | None, HeaderParam(alias="If-Match", description="version của báo cáo khi sửa")
    ] = None,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    program = fetch(request, programs_for(user), payload.program_id)
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise not_found()
    version = if_match(request)
    content = ReportContent(
        difficulties=payload.difficulties,
        recommendations=payload.recommendations,
        lines=tuple(
            LineInput(
                item_id=line.item_id,
                status=line.status,
                progress_note=line.progress_note,
                delay_cause=line.delay_cause,
                remedy=line.remedy,
                expected_date=line.expected_date,
            )
            for line in payload.lines
        ),
    )
    period = payload.period.replace(day=1)

    def write() -> tuple[int, Any]:
        service = (
            report_services.monthly_report_submit
            if payload.submit
            else report_services.monthly_report_save_draft
        )
        report = service(
            actor=user, program=program, unit=unit, period=period, content=content, version=version
        )
        fresh = MonthlyReport.objects.prefetch_related(_reports()).get(pk=report.pk)
        return 200, MonthlyReportOut.of(fresh).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))


# --- KPIs -----------------------------------------------------------------------------------------


FIGURES_EXAMPLE: JsonDict = {
    "due": 14,
    "submitted": 12,
    "issued": 9,
    "not_submitted": 2,
    "overdue": 1,
    "on_time": 11,
    "submitted_rate": 0.857,
    "issued_rate": 0.643,
    "on_time_rate": 0.786,
}


class FiguresOut(Schema):
    due: int = Field(..., description="Số nội dung đến hạn trình trong kỳ.")
    submitted: int
    issued: int
    not_submitted: int
    overdue: int
    on_time: int
    submitted_rate: float | None = Field(..., description="Tỷ lệ đã trình, số thập phân (0.857).")
    issued_rate: float | None
    on_time_rate: float | None

    model_config = {"json_schema_extra": {"examples": [FIGURES_EXAMPLE]}}


UNIT_FIGURES_EXAMPLE: JsonDict = {
    "unit_id": 7,
    "unit_code": "STTTT",
    "unit_name": "Sở Thông tin và Truyền thông",
    "rank": 2,
    "due": 5,
    "submitted": 5,
    "issued": 4,
    "not_submitted": 0,
    "overdue": 0,
    "on_time": 5,
    "submitted_rate": 1.0,
    "issued_rate": 0.8,
    "on_time_rate": 1.0,
}


class UnitFiguresOut(FiguresOut):
    unit_id: int
    unit_code: str
    unit_name: str
    rank: int | None

    model_config = {"json_schema_extra": {"examples": [UNIT_FIGURES_EXAMPLE]}}


class KpiOut(Schema):
    program_id: int
    period: str
    start: datetime.date
    end: datetime.date
    as_of: datetime.date
    units: list[UnitFiguresOut]
    total: FiguresOut

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "program_id": 2,
                    "period": "q2",
                    "start": "2024-04-01",
                    "end": "2024-06-30",
                    "as_of": "2024-07-05",
                    "units": [UNIT_FIGURES_EXAMPLE],
                    "total": FIGURES_EXAMPLE,
                }
            ]
        }
    }


def _figures(row: kpis.Figures) -> dict[str, Any]:
    return {
        "due": row.due,
        "submitted": row.submitted,
        "issued": row.issued,
        "not_submitted": row.not_submitted,
        "overdue": row.overdue,
        "on_time": row.on_time,
        "submitted_rate": rate(row.submitted_percent),
        "issued_rate": rate(row.issued_percent),
        "on_time_rate": rate(row.on_time_percent),
    }


@router.get(
    "/programs/{program_id}/kpis",
    response={200: KpiOut, **COMMON_ERRORS},
    summary="Chỉ số theo đơn vị chủ trì",
)
def program_kpis(
    request: HttpRequest,
    program_id: int,
    period: Annotated[
        str,
        QueryParam(
            pattern=r"^(y|q[1-4]|m([1-9]|1[0-2]))$", description="y: cả năm; q1..q4: quý; m1..m12: tháng."
        ),
    ] = "y",
) -> KpiOut:
    user = caller(request)
    program: WorkProgram = fetch(request, programs_for(user), program_id, "view_kpis")
    chosen = kpis.make_period(program.year, period)
    today = clock.today()
    rows = kpis.unit_figures(program, chosen, kpi_scope(user, program), today=today)
    return KpiOut(
        program_id=program.pk,
        period=chosen.key,
        start=chosen.start,
        end=chosen.last_day,
        as_of=today,
        units=[
            UnitFiguresOut(
                unit_id=row.unit_id,
                unit_code=row.unit_code,
                unit_name=row.unit_name,
                rank=row.rank,
                **_figures(row),
            )
            for row in rows
        ],
        total=FiguresOut(**_figures(kpis.total_of(rows))),
    )
