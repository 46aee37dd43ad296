"""Assigned tasks (read), the lead unit's progress reports (filed) and the Office's import of
tasks (all or nothing, the spreadsheet import's checks)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam
from pydantic.config import JsonDict

from caicach.api.auth import auth_for
from caicach.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError, rows_refused
from caicach.api.http import caller, fetch, required_version
from caicach.api.idempotency import run_once
from caicach.api.pagination import MAX_ID, Page, PageParams, items_of
from caicach.core import clock
from caicach.core.models import Unit, User
from caicach.core.permissions import can
from caicach.oversight.followup import imports
from caicach.oversight.followup import services as task_services
from caicach.oversight.followup.queries import TaskFilters as ListFilters
from caicach.oversight.followup.queries import task_rows, timeliness_by_committee
from caicach.oversight.models import (
    OPEN_STATUSES,
    DeadlineKind,
    ResultKind,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)
from caicach.oversight.timeliness import Timeliness

router = Router(tags=["oversight"], auth=auth_for("oversight"))

TEXT_MAX = task_services.MAX_CONTENT
# Rows of one import request: a year's tasks of a committee are a few hundred.
TASK_IMPORT_MAX_ROWS = 1000

TASK_EXAMPLE: JsonDict = {
    "id": 42,
    "committee_id": 1,
    "source": "document",
    "source_reference": "125/TB-UBND",
    "source_date": "2024-03-04",
    "source_title": "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Nội vụ",
    "content": "Tham mưu Kế hoạch cải cách hành chính năm 2025",
    "assigned_by_id": 7,
    "assigned_by_name": "Hoàng Chủ Tịch",
    "lead_unit_id": 3,
    "coordinating_unit_ids": [5],
    "deadline_kind": "date",
    "original_deadline": "2024-04-30",
    "deadline": "2024-05-15",
    "expected_result_kind": "document",
    "expected_result": "Kế hoạch của UBND tỉnh",
    "status": "in_progress",
    "progress_percent": 60,
    "done_on": None,
    "result_reference": "",
    "timeliness": "not_yet_due",
    "has_pending_extension": False,
    "version": 4,
}


class TaskOut(Schema):
    id: int
    committee_id: int
    source: TaskSource
    source_reference: str
    source_date: datetime.date
    source_title: str
    content: str
    assigned_by_id: int
    assigned_by_name: str
    lead_unit_id: int
    coordinating_unit_ids: list[int]
    deadline_kind: DeadlineKind
    original_deadline: datetime.date
    deadline: datetime.date = Field(..., description="Thời hạn hiện hành (sau gia hạn nếu có).")
    expected_result_kind: ResultKind
    expected_result: str
    status: TaskStatus
    progress_percent: int = Field(..., description="Tiến độ theo báo cáo gần nhất, phần trăm (0–100).")
    done_on: datetime.date | None
    result_reference: str
    timeliness: Timeliness = Field(..., description="So với thời hạn hiện hành, tính đến hôm nay.")
    has_pending_extension: bool = Field(..., description="Có đề nghị gia hạn đang chờ quyết định.")
    version: int = Field(..., description="Gửi lại trong If-Match khi báo cáo tiến độ.")

    model_config = {"json_schema_extra": {"examples": [TASK_EXAMPLE]}}

    @staticmethod
    def of(task: Task) -> TaskOut:
        return TaskOut(
            id=task.pk,
            committee_id=task.committee_id,
            source=TaskSource(task.source),
            source_reference=task.source_reference,
            source_date=task.source_date,
            source_title=task.source_title,
            content=task.content,
            assigned_by_id=task.assigned_by_id,
            assigned_by_name=task.assigned_by.full_name,
            lead_unit_id=task.lead_unit_id,
            coordinating_unit_ids=sorted(unit.pk for unit in task.coordinating_units.all()),
            deadline_kind=DeadlineKind(task.deadline_kind),
            original_deadline=task.original_deadline,
            deadline=task.deadline,
            expected_result_kind=ResultKind(task.expected_result_kind),
            expected_result=task.expected_result,
            status=TaskStatus(task.status),
            progress_percent=task.progress_percent,
            done_on=task.done_on,
            result_reference=task.result_reference,
            timeliness=Timeliness(task.timeliness),  # type: ignore[attr-defined]
            has_pending_extension=task.has_pending_extension,  # type: ignore[attr-defined]
            version=task.version,
        )


PROGRESS_EXAMPLE: JsonDict = {
    "id": 9,
    "percent": 60,
    "note": "Đã xin ý kiến các sở, ngành; đang tổng hợp.",
    "reported_on": "2024-04-10",
    "reported_by_name": "Nguyễn Thị Cán Bộ",
    "file_name": "",
}


class ProgressOut(Schema):
    id: int
    percent: int
    note: str
    reported_on: datetime.date
    reported_by_name: str | None
    file_name: str

    model_config = {"json_schema_extra": {"examples": [PROGRESS_EXAMPLE]}}


class TaskDetailOut(TaskOut):
    notes: str
    progress: list[ProgressOut] = Field(..., description="Các lần báo cáo tiến độ, mới nhất trước.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **TASK_EXAMPLE,
                    "notes": "",
                    "progress": [PROGRESS_EXAMPLE],
                }
            ]
        }
    }


class TaskFilters(Schema):
    q: str = Field("", max_length=200, description="Tìm theo nội dung, số văn bản (không dấu cũng được).")
    committee_id: int | None = Field(None, ge=1, le=MAX_ID, description="UBND giao.")
    lead_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: TaskStatus | None = None
    timeliness: Timeliness | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "q": "ke hoach cai cach",
                    "committee_id": 1,
                    "lead_unit_id": 3,
                    "status": "in_progress",
                    "timeliness": "due_soon",
                    "deadline_from": "2024-04-01",
                    "deadline_to": "2024-06-30",
                }
            ]
        }
    }


def _tasks(user: User, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """The list page's rows (``task_rows``: the caller's tasks, timeliness annotated by each
    committee's setting), narrowed by the API's filters."""
    listed = ListFilters(timeliness=filters.timeliness or "", search=filters.q) if filters else ListFilters()
    rows = task_rows(user, listed, today=clock.today()).prefetch_related(
        Prefetch("coordinating_units", queryset=Unit.objects.only("id"))
    )
    if filters is None:
        return rows
    if filters.committee_id:
        rows = rows.filter(committee_id=filters.committee_id)
    if filters.lead_unit_id:
        rows = rows.filter(lead_unit_id=filters.lead_unit_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.deadline_from:
        rows = rows.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        rows = rows.filter(deadline__lte=filters.deadline_to)
    return rows


@router.get("/tasks", response={200: Page[TaskOut], **COMMON_ERRORS}, summary="Nhiệm vụ được giao")
def task_list(request: HttpRequest, filters: Query[TaskFilters], page: Query[PageParams]) -> Page[TaskOut]:
    # Timeliness is annotated from each committee's settings and the working calendar.
    today = clock.today()
    rows = _tasks(caller(request), filters)
    items, cursor = items_of(rows, page, TaskOut.of, annotated_from=lambda: timeliness_by_committee(today))
    return Page[TaskOut](items=items, next_cursor=cursor)


def _detail(user: User, task: Task) -> TaskDetailOut:
    notes = (
        TaskProgress.objects.filter(task=task).select_related("reported_by").order_by("-created_at", "-pk")
    )
    return TaskDetailOut(
        **TaskOut.of(task).model_dump(),
        notes=task.notes,
        progress=[
            ProgressOut(
                id=note.pk,
                percent=note.percent,
                note=note.note,
                reported_on=note.reported_on,
                reported_by_name=note.reported_by.full_name if note.reported_by else None,
                file_name=note.original_name,
            )
            for note in notes
            if can(user, "view", note)
        ],
    )


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **COMMON_ERRORS}, summary="Một nhiệm vụ")
def task_detail(request: HttpRequest, task_id: int) -> TaskDetailOut:
    user = caller(request)
    return _detail(user, fetch(request, _tasks(user), task_id))


# --- Progress -------------------------------------------------------------------------------------


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100, description="Tiến độ, phần trăm (0–100).")
    note: str = Field(..., min_length=1, max_length=TEXT_MAX, description="Kết quả thực hiện.")

    model_config = {
        "json_schema_extra": {
            "examples": [{"percent": 60, "note": "Đã xin ý kiến các sở, ngành; đang tổng hợp."}]
        }
    }


@router.post(
    "/tasks/{task_id}/progress",
    response={200: TaskDetailOut, **WRITE_ERRORS},
    summary="Cơ quan chủ trì báo cáo tiến độ",
    description=(
        "If-Match: version của nhiệm vụ (bắt buộc); đã đổi: 409. Nhiệm vụ đã hoàn thành hoặc đã hủy: "
        "400 với lý do. Idempotency-Key: gửi lại cùng khóa không ghi thêm."
    ),
)
def task_progress(
    request: HttpRequest,
    task_id: int,
    payload: ProgressIn,
    if_match_header: Annotated[
        str | None, HeaderParam(alias="If-Match", description="version của nhiệm vụ")
    ] = None,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    task = fetch(request, _tasks(user), task_id)
    version = required_version(request)
    if task.status not in OPEN_STATUSES:
        raise ApiError(
            400,
            "closed",
            _("Nhiệm vụ đã hoàn thành hoặc đã hủy: không báo cáo tiến độ được nữa."),
        )

    def write() -> tuple[int, Any]:
        task_services.task_report_progress(
            actor=user, task=task, percent=payload.percent, note=payload.note, version=version
        )
        fresh = _tasks(user).get(pk=task.pk)
        return 200, _detail(user, fresh).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))


# --- The Office's import --------------------------------------------------------------------------


class TaskImportRow(Schema):
    content: str = Field(..., min_length=1, max_length=TEXT_MAX)
    source: TaskSource
    source_reference: str = Field("", max_length=task_services.MAX_REFERENCE)
    source_date: datetime.date
    source_title: str = Field("", max_length=task_services.MAX_TITLE)
    assigned_by: str = Field(
        ..., min_length=1, max_length=255, description="Tên đăng nhập (hoặc họ tên) lãnh đạo giao."
    )
    lead_unit: str = Field(..., min_length=1, max_length=255, description="Mã (hoặc tên) cơ quan chủ trì.")
    coordinating_units: list[str] = Field(
        default_factory=list, max_length=50, description="Mã (hoặc tên) các cơ quan phối hợp."
    )
    deadline_kind: DeadlineKind = DeadlineKind.DATE
    deadline: datetime.date | None = Field(None, description="Khi deadline_kind là date.")
    deadline_working_days: int | None = Field(
        None, ge=1, le=365, description="Khi deadline_kind là working_days: số ngày làm việc từ ngày văn bản."
    )
    expected_result_kind: ResultKind = ResultKind.DOCUMENT
    expected_result: str = Field("", max_length=task_services.MAX_RESULT)
    monitoring_officer: str = Field("", max_length=255, description="Tên đăng nhập chuyên viên theo dõi.")
    notes: str = Field("", max_length=TEXT_MAX)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "content": "Tham mưu Kế hoạch cải cách hành chính năm 2025",
                    "source": "document",
                    "source_reference": "125/TB-UBND",
                    "source_date": "2024-03-04",
                    "source_title": "",
                    "assigned_by": "lanhdao",
                    "lead_unit": "SNV",
                    "coordinating_units": ["STC"],
                    "deadline_kind": "working_days",
                    "deadline": None,
                    "deadline_working_days": 15,
                    "expected_result_kind": "document",
                    "expected_result": "Kế hoạch của UBND tỉnh",
                    "monitoring_officer": "",
                    "notes": "",
                }
            ]
        }
    }

    def sheet_values(self) -> dict[str, Any]:
        """The row as the spreadsheet import reads it (the same checks, the same messages)."""
        deadline: Any = {
            DeadlineKind.DATE: self.deadline,
            DeadlineKind.WORKING_DAYS: f"{self.deadline_working_days or ''} ngày làm việc",
            DeadlineKind.MONTHLY: "hằng tháng",
            DeadlineKind.QUARTERLY: "hằng quý",
        }[self.deadline_kind]
        return {
            **self.model_dump(exclude={"coordinating_units", "deadline_kind", "deadline_working_days"}),
            "coordinating_units": ";".join(self.coordinating_units),
            "deadline": deadline,
        }


class TaskImportIn(Schema):
    rows: list[TaskImportRow] = Field(..., min_length=1, max_length=TASK_IMPORT_MAX_ROWS)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "rows": [
                        {
                            "content": "Tham mưu Kế hoạch cải cách hành chính năm 2025",
                            "source": "document",
                            "source_reference": "125/TB-UBND",
                            "source_date": "2024-03-04",
                            "assigned_by": "lanhdao",
                            "lead_unit": "SNV",
                            "coordinating_units": ["STC"],
                            "deadline_kind": "working_days",
                            "deadline_working_days": 15,
                            "expected_result_kind": "document",
                            "expected_result": "Kế hoạch của UBND tỉnh",
                        }
                    ]
                }
            ]
        }
    }


class TaskImportOut(Schema):
    created: int
    task_ids: list[int]

    model_config = {"json_schema_extra": {"examples": [{"created": 2, "task_ids": [301, 302]}]}}


@router.post(
    "/committees/{committee_id}/tasks/import",
    response={200: TaskImportOut, **WRITE_ERRORS},
    summary="Văn phòng nhập nhiệm vụ được giao",
    description=(
        "Tất cả hoặc không: một dòng sai thì không nhập dòng nào, lỗi từng dòng trong `fields` "
        "(`rows.3`: dòng thứ 3). Cùng kiểm tra như khi nhập từ tệp Excel. Idempotency-Key: gửi lại "
        "cùng khóa không nhập thêm."
    ),
)
def task_import(
    request: HttpRequest,
    committee_id: int,
    payload: TaskImportIn,
    idempotency_key: Annotated[
        str | None, HeaderParam(alias="Idempotency-Key", max_length=255, description="khóa gửi lại an toàn")
    ] = None,
) -> Status[Any]:
    user = caller(request)
    # A committee whose tasks the caller may not assign is, to them, not found (as a page of
    # the site answers); the service checks the same rule again before it writes.
    committee = fetch(request, Unit.objects.active(), committee_id, "oversight.assign")
    rows = [(number, row.sheet_values()) for number, row in enumerate(payload.rows, start=1)]

    def write() -> tuple[int, Any]:
        result = imports.task_import_rows(
            actor=user, committee=committee, rows=rows, source=_("Nhập qua API")
        )
        if result.errors:
            # Refused inside the write: the idempotency claim rolls back with it.
            message = _("Chưa nhập nhiệm vụ nào: %(count)s lỗi. Sửa các dòng được nêu rồi gửi lại.")
            raise rows_refused(result.errors, message % {"count": len(result.errors)})
        return 200, TaskImportOut(created=result.created, task_ids=result.task_ids).model_dump(mode="json")

    return Status(*run_once(request, user, idempotency_key, payload.model_dump(mode="json"), write))
