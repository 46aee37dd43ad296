"""Replication directives, the units' obligations, and their adoption reports (read and filed)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam
from pydantic.config import JsonDict

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS, WRITE_ERRORS
from caicach.api.http import caller, fetch, if_match
from caicach.api.idempotency import run_once
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.replication.adoption import services as adoption_services
from caicach.replication.adoption.queries import (
    ReportContent,
    ResultInput,
    obligation_queryset,
    report_queryset,
)
from caicach.replication.adoption.rules import visible_obligations_q, visible_reports_q
from caicach.replication.directives.queries import directives_for
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionResult,
    AdoptionStatus,
    AssignmentRole,
    DirectiveStatus,
    Obligation,
    ReportingCycle,
)

router = Router(tags=["replication"], auth=auth_for("replication"))

TEXT_MAX = 4000


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- Directives and obligations -------------------------------------------------------------------


class DirectiveOut(Schema):
    id: int
    issuing_unit_id: int
    document_type: str
    title: str
    status: DirectiveStatus
    coordinator_unit_id: int | None
    reporting_cycle: ReportingCycle
    issued_on: datetime.date | None
    version: int

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "issuing_unit_id": 1,
                    "document_type": "KH",
                    "title": "Kế hoạch nhân rộng mô hình “Ngày thứ bảy lắng nghe dân nói” năm 2024",
                    "status": "issued",
                    "coordinator_unit_id": 3,
                    "reporting_cycle": "quarterly",
                    "issued_on": "2024-02-05",
                    "version": 2,
                }
            ]
        }
    }


class DirectiveFilters(Schema):
    status: DirectiveStatus | None = None
    issuing_unit_id: int | None = Field(None, ge=1, le=MAX_ID)

    model_config = {"json_schema_extra": {"examples": [{"status": "issued", "issuing_unit_id": 1}]}}


class ObligationOut(Schema):
    id: int
    directive_id: int
    unit_id: int
    practice_id: int
    practice_name: str
    role: AssignmentRole
    starts_on: datetime.date
    due_on: datetime.date | None
    ended_on: datetime.date | None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 21,
                    "directive_id": 3,
                    "unit_id": 31,
                    "practice_id": 10,
                    "practice_name": "Ngày thứ bảy lắng nghe dân nói",
                    "role": "apply",
                    "starts_on": "2024-02-05",
                    "due_on": "2024-12-31",
                    "ended_on": None,
                }
            ]
        }
    }

    @staticmethod
    def of(obligation: Obligation) -> ObligationOut:
        return ObligationOut(
            id=obligation.pk,
            directive_id=obligation.directive_id,
            unit_id=obligation.unit_id,
            practice_id=obligation.practice_id,
            practice_name=obligation.practice.name,
            role=AssignmentRole(obligation.role),
            starts_on=obligation.starts_on,
            due_on=obligation.due_on,
            ended_on=obligation.ended_on,
        )


class ObligationFilters(Schema):
    directive_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    current: bool | None = Field(None, description="true: chỉ nhiệm vụ còn hiệu lực.")

    model_config = {"json_schema_extra": {"examples": [{"directive_id": 3, "unit_id": 31, "current": True}]}}


@router.get(
    "/directives", response={200: Page[DirectiveOut], **COMMON_ERRORS}, summary="Văn bản chỉ đạo nhân rộng"
)
def directive_list(
    request: HttpRequest, filters: Query[DirectiveFilters], page: Query[PageParams]
) -> Page[DirectiveOut]:
    rows = directives_for(caller(request), status=filters.status or "")
    if filters.issuing_unit_id:
        rows = rows.filter(issuing_unit_id=filters.issuing_unit_id)
    items, cursor = items_of(rows, page, DirectiveOut)
    return Page[DirectiveOut](items=items, next_cursor=cursor)


@router.get(
    "/directives/{directive_id}", response={200: DirectiveOut, **COMMON_ERRORS}, summary="Một văn bản chỉ đạo"
)
def directive_detail(request: HttpRequest, directive_id: int) -> DirectiveOut:
    directive = fetch(request, directives_for(caller(request)), directive_id)
    return DirectiveOut.model_validate(directive, from_attributes=True)


def obligations_for(request: HttpRequest) -> Any:
    return obligation_queryset().filter(visible_obligations_q(caller(request)))


@router.get(
    "/obligations",
    response={200: Page[ObligationOut], **COMMON_ERRORS},
    summary="Nhiệm vụ nhân rộng của đơn vị",
)
def obligation_list(
    request: HttpRequest, filters: Query[ObligationFilters], page: Query[PageParams]
) -> Page[ObligationOut]:
    rows = obligations_for(request)
    if filters.directive_id:
        rows = rows.filter(directive_id=filters.directive_id)
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.current is not None:
        rows = rows.filter(ended_on__isnull=filters.current)
    items, cursor = items_of(rows, page, ObligationOut.of)
    return Page[ObligationOut](items=items, next_cursor=cursor)


@router.get(
    "/obligations/{obligation_id}", response={200: ObligationOut, **COMMON_ERRORS}, summary="Một nhiệm vụ"
)
def obligation_detail(request: HttpRequest, obligation_id: int) -> ObligationOut:
    return ObligationOut.of(fetch(request, obligations_for(request), obligation_id, "adoption.view"))


# --- Adoption reports -----------------------------------------------------------------------------


RESULT_EXAMPLE: JsonDict = {
    "indicator": "Số buổi đối thoại",
    "measure_unit": "buổi",
    "baseline": 0.0,
    "current": 6.0,
    "note": "",
}


class ResultOut(Schema):
    indicator: str
    measure_unit: str
    baseline: float | None
    current: float | None
    note: str

    model_config = {"json_schema_extra": {"examples": [RESULT_EXAMPLE]}}


class AdoptionReportOut(Schema):
    id: int
    obligation_id: int
    unit_id: int
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    status: AdoptionReportStatus
    adoption_status: AdoptionStatus
    reason: str
    started_on: datetime.date | None
    scope: str
    difficulties: str
    proposals: str
    submitted_at: datetime.datetime | None
    is_late: bool
    version: int = Field(..., description="Gửi lại trong If-Match khi sửa báo cáo.")
    results: list[ResultOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 55,
                    "obligation_id": 21,
                    "unit_id": 31,
                    "period_start": "2024-01-01",
                    "period_end": "2024-03-31",
                    "due_on": "2024-04-05",
                    "status": "submitted",
                    "adoption_status": "applied",
                    "reason": "",
                    "started_on": "2024-02-01",
                    "scope": "Bộ phận một cửa",
                    "difficulties": "",
                    "proposals": "",
                    "submitted_at": "2024-04-03T10:20:00+07:00",
                    "is_late": False,
                    "version": 3,
                    "results": [RESULT_EXAMPLE],
                }
            ]
        }
    }

    @staticmethod
    def of(report: AdoptionReport) -> AdoptionReportOut:
        return AdoptionReportOut(
            id=report.pk,
            obligation_id=report.obligation_id,
            unit_id=report.obligation.unit_id,
            period_start=report.period_start,
            period_end=report.period_end,
            due_on=report.due_on,
            status=AdoptionReportStatus(report.status),
            adoption_status=AdoptionStatus(report.adoption_status),
            reason=report.reason,
            started_on=report.started_on,
            scope=report.scope,
            difficulties=report.difficulties,
            proposals=report.proposals,
            submitted_at=report.submitted_at,
            is_late=report.is_late,
            version=report.version,
            results=[
                ResultOut(
                    indicator=r.indicator,
                    measure_unit=r.measure_unit,
                    baseline=_number(r.baseline),
                    current=_number(r.current),
                    note=r.note,
                )
                for r in report.results.all()
            ],
        )


class AdoptionReportFilters(Schema):
    obligation_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: AdoptionReportStatus | None = None
    period_start: datetime.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"obligation_id": 21, "status": "submitted", "period_start": "2024-01-01"}]
        }
    }


class ResultIn(Schema):
    indicator: str = Field(..., max_length=255)
    measure_unit: str = Field("", max_length=64)
    baseline: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    current: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=500)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "indicator": "Số buổi đối thoại",
                    "measure_unit": "buổi",
                    "baseline": "0",
                    "current": "6",
                    "note": "",
                }
            ]
        }
    }


class AdoptionReportIn(Schema):
    period_start: datetime.date = Field(..., description="Ngày đầu kỳ báo cáo.")
    submit: bool = Field(False, description="true: gửi Sở Nội vụ; false: lưu nháp.")
    adoption_status: AdoptionStatus
    reason: str = Field("", max_length=TEXT_MAX)
    started_on: datetime.date | None = None
    scope: str = Field("", max_length=TEXT_MAX)
    difficulties: str = Field("", max_length=TEXT_MAX)
    proposals: str = Field("", max_length=TEXT_MAX)
    results: list[ResultIn] = Field(default_factory=list, max_length=50)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "period_start": "2024-01-01",
                    "submit": True,
                    "adoption_status": "applied",
                    "started_on": "2024-02-01",
                    "scope": "Bộ phận một cửa",
                    "results": [{"indicator": "Số buổi đối thoại", "measure_unit": "buổi", "current": 6}],
                }
            ]
        }
    }


def _with_results() -> Any:
    return Prefetch("results", queryset=AdoptionResult.objects.order_by("position", "pk"))


def reports_for(request: HttpRequest) -> Any:
    return report_queryset().filter(visible_reports_q(caller(request))).prefetch_related(_with_results())


@router.get(
    "/adoption-reports",
    response={200: Page[AdoptionReportOut], **COMMON_ERRORS},
    summary="Báo cáo kết quả nhân rộng",
)
def adoption_report_list(
    request: HttpRequest, filters: Query[AdoptionReportFilters], page: Query[PageParams]
) -> Page[AdoptionReportOut]:
    rows = reports_for(request)
    if filters.obligation_id:
        rows = rows.filter(obligation_id=filters.obligation_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.period_start:
        rows = rows.filter(period_start=filters.period_start)
    items, cursor = items_of(rows, page, AdoptionReportOut.of)
    return Page[AdoptionReportOut](items=items, next_cursor=cursor)


@router.get(
    "/adoption-reports/{report_id}",
    response={200: AdoptionReportOut, **COMMON_ERRORS},
    summary="Một báo cáo kết quả nhân rộng",
)
def adoption_report_detail(request: HttpRequest, report_id: int) -> AdoptionReportOut:
    return AdoptionReportOut.of(fetch(request, reports_for(request), report_id))


@router.post(
    "/obligations/{obligation_id}/adoption-reports",
    response={200: AdoptionReportOut, **WRITE_ERRORS},
    summary="Đơn vị lưu hoặc gửi báo cáo kết quả nhân rộng",
    description=(
        "Tạo (không gửi If-Match) hoặc sửa (If-Match: version hiện tại) báo cáo của kỳ bắt đầu "
        "period_start. Phiên bản cũ: 409. Idempotency-Key: gửi lại cùng khóa không tạo thêm."
    ),
)
def adoption_report_file(
    request: HttpRequest,
    obligation_id: int,
    payload: AdoptionReportIn,
    if_match_header: Annotated[
        str | None, HeaderParam(alias="If-Match", description="version của báo cáo khi sửa")
    ] = None,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    obligation = fetch(request, obligations_for(request), obligation_id, "adoption.view")
    version = if_match(request)
    content = ReportContent(
        adoption_status=payload.adoption_status,
        reason=payload.reason,
        started_on=payload.started_on,
        scope=payload.scope,
        difficulties=payload.difficulties,
        proposals=payload.proposals,
        results=tuple(
            ResultInput(
                indicator=r.indicator,
                measure_unit=r.measure_unit,
                baseline=r.baseline,
                current=r.current,
                note=r.note,
            )
            for r in payload.results
        ),
    )

    def write() -> tuple[int, Any]:
        if payload.submit:
            report = adoption_services.adoption_report_submit(
                actor=user,
                obligation=obligation,
                period_start=payload.period_start,
                content=content,
                version=version,
            )
        else:
            report = adoption_services.adoption_report_save(
                actor=user,
                obligation=obligation,
                period_start=payload.period_start,
                content=content,
                version=version,
            )
        fresh = report_queryset().prefetch_related(_with_results()).get(pk=report.pk)
        return 200, AdoptionReportOut.of(fresh).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))
