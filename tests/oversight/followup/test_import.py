"""Tasks from the Office's Excel sheet: the template, all or nothing with row errors in
Vietnamese, and the background job behind the upload page."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from caicach.core.models import AuditEvent, Job
from caicach.oversight.followup.imports import COLUMNS, import_template_xlsx, task_import_xlsx
from caicach.oversight.followup.tasks import TASK_IMPORT
from caicach.oversight.models import DeadlineKind, Task
from tests.conftest import Org, People, on_day
from tests.oversight.factories import chairman

pytestmark = pytest.mark.django_db

HEADER = [title for _name, title in COLUMNS]
TODAY = datetime.date(2024, 5, 6)


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(content: str, lead: str, deadline: Any, **extra: Any) -> list[Any]:
    values = {
        "position": None,
        "content": content,
        "source": "Văn bản",
        "source_reference": "125/TB-VP",
        "source_date": "26/04/2024",
        "source_title": "",
        "assigned_by": "lanhdao",
        "lead_unit": lead,
        "coordinating_units": "",
        "deadline": deadline,
        "expected_result_kind": "Báo cáo",
        "expected_result": "",
        "monitoring_officer": "",
        "notes": "",
    }
    values.update(extra)
    return [values[name] for name, _title in COLUMNS]


GOOD = [
    row("Rà soát thủ tục hành chính", "SKHCN", "28/06/2024", coordinating_units="SNV"),
    row("Báo cáo chuyển đổi số", "Sở Nội vụ", "3 ngày làm việc", monitoring_officer="cvvanphong"),
    row(
        "Báo cáo tháng",
        "SNV",
        "Hằng tháng",
        source="Chỉ đạo",
        source_reference="",
        assigned_by="Nguyễn Chủ Tịch",
    ),
    row("Kết luận", "SKHCN", datetime.datetime(2024, 7, 31), source="Kết luận"),
]


def run(org: Org, people: People, content: io.BytesIO) -> Any:
    with on_day(TODAY):
        return task_import_xlsx(
            actor=people.office_officer, committee=org.province, file=content, filename="nv.xlsx"
        )


def test_a_good_sheet_imports_every_row(org: Org, people: People) -> None:
    chairman(org)
    result = run(org, people, xlsx(GOOD))
    assert result.ok and result.created == 4, result.errors
    first, second, third, fourth = Task.objects.order_by("pk")
    assert (first.lead_unit, first.deadline, list(first.coordinating_units.all())) == (
        org.science,
        datetime.date(2024, 6, 28),
        [org.home_affairs],
    )
    # 26/4/2024 + 3 working days: 29/4, then 30/4 and 1/5 are holidays, 2/5, 3/5.
    assert (second.deadline_kind, second.deadline, second.monitoring_officer) == (
        DeadlineKind.WORKING_DAYS,
        datetime.date(2024, 5, 3),
        people.office_officer,
    )
    assert (third.deadline_kind, third.deadline, third.assigned_by) == (
        DeadlineKind.MONTHLY,
        datetime.date(2024, 4, 29),
        chairman(org),
    )
    assert fourth.deadline == datetime.date(2024, 7, 31)
    assert AuditEvent.objects.filter(action="task.create").count() == 4


def test_bad_rows_import_nothing_and_each_is_reported(org: Org, people: People) -> None:
    chairman(org)
    bad = [
        *GOOD,
        row("", "SKHCN", "28/06/2024"),  # row 6: no content
        row("Đơn vị lạ", "Sở Không Có", "28/06/2024"),  # row 7
        row("Hạn lạ", "SKHCN", "sớm nhất có thể"),  # row 8
        row("Chủ trì kiêm phối hợp", "SKHCN", "28/06/2024", coordinating_units="SKHCN"),  # row 9
        row("Không phải lãnh đạo", "SKHCN", "28/06/2024", assigned_by="thanhvien"),  # row 10
        row("Thiếu số văn bản", "SKHCN", "28/06/2024", source_reference=""),  # row 11
    ]
    result = run(org, people, xlsx(bad))
    assert not result.ok
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action="task.create").exists()
    by_row: dict[int | None, list[str]] = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert set(by_row) == {6, 7, 8, 9, 10, 11}, by_row
    assert any("nội dung nhiệm vụ" in m for m in by_row[6])
    assert any("Sở Không Có" in m for m in by_row[7])
    assert any("sớm nhất có thể" in m for m in by_row[8])
    assert any("không đồng thời là cơ quan phối hợp" in m for m in by_row[9])
    assert any("không tìm thấy lãnh đạo UBND" in m for m in by_row[10])
    assert any("số, ký hiệu văn bản" in m for m in by_row[11])


def test_a_sheet_without_the_columns_is_refused(org: Org, people: People) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["STT", "Nội dung"])
    sheet.append([1, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = run(org, people, buffer)
    assert not result.ok and result.errors[0].row is None
    assert "cột bắt buộc" in result.errors[0].message


def test_only_the_office_imports(org: Org, people: People) -> None:
    for actor in (people.unit_head, people.leader):
        with pytest.raises(PermissionDenied):
            task_import_xlsx(actor=actor, committee=org.province, file=xlsx(GOOD))
    assert not Task.objects.exists()


def test_the_template_round_trips_to_nothing(org: Org, people: People) -> None:
    content = import_template_xlsx(org.province)
    workbook = load_workbook(io.BytesIO(content))
    assert [cell.value for cell in workbook["Nhiệm vụ"][1]] == HEADER
    assert "Hướng dẫn" in workbook.sheetnames and "Danh mục" in workbook.sheetnames
    result = run(org, people, io.BytesIO(content))
    assert not result.ok and "không có dòng dữ liệu" in result.errors[0].message
    assert not Task.objects.exists()


def test_the_office_uploads_through_the_page_and_a_job(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    chairman(org)
    client.force_login(people.office_officer)
    template = client.get(reverse("oversight:task_import_template", args=[org.province.pk]))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    url = reverse("oversight:task_import")

    def upload(rows: list[list[Any]]) -> Job:
        with on_day(TODAY), django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"committee": org.province.pk, "file": SimpleUploadedFile("nv.xlsx", xlsx(rows).read())}
            )
        job = Job.objects.filter(kind=TASK_IMPORT).latest("pk")
        assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
        return job

    job = upload([*GOOD, row("Đơn vị lạ", "Sở Không Có", "28/06/2024")])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Không nhập được: 1 lỗi" in page and "Sở Không Có" in page
    assert not Task.objects.exists()
    job = upload(GOOD)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Đã nhập 4 nhiệm vụ." in page
    assert Task.objects.count() == 4
    client.force_login(people.unit_head)
    assert client.get(reverse("oversight:task_import_template", args=[org.province.pk])).status_code == 404
