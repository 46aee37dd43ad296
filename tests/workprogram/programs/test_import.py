"""The Office's Excel sheet: a downloadable template, an all-or-nothing import with a
row-by-row report, and files that only pretend to be spreadsheets turned away."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from caicach.core.models import AuditEvent, Job
from caicach.workprogram.models import ProgramItem, WorkProgram
from caicach.workprogram.programs.imports import COLUMNS, import_template_xlsx, program_import_xlsx
from caicach.workprogram.programs.tasks import PROGRAM_IMPORT
from tests.conftest import PASSWORD, Org, People
from tests.workprogram.factories import YEAR, make_program, month

pytestmark = pytest.mark.django_db

HEADER = [title for _name, title in COLUMNS]


@pytest.fixture
def program(org: Org, people: People) -> WorkProgram:
    return make_program(org, people)


def xlsx(
    rows: list[list[Any]], *, header: list[str] | None = None, above: tuple[list[Any], ...] = ()
) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in above:
        sheet.append(row)
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(title: str, lead: str, due: Any, **extra: Any) -> list[Any]:
    values = {
        "position": None,
        "title": title,
        "submission_kind": "Trình UBND tỉnh",
        "is_legal_document": "",
        "lead_unit": lead,
        "coordinating_units": "",
        "supervising_leader": "",
        "due_month": due,
        "monitoring_officer": "",
        "notes": "",
    }
    values.update(extra)
    return [values[name] for name, _title in COLUMNS]


def run(program: WorkProgram, people: People, content: io.BytesIO) -> Any:
    return program_import_xlsx(actor=people.office_officer, program=program, file=content, filename="ct.xlsx")


GOOD_ROWS = [
    row(
        "Đề án phát triển hệ sinh thái khởi nghiệp",
        "SKHCN",
        "03/2024",
        supervising_leader="Hoàng Chủ Tịch",
        coordinating_units="SNV; Sở Nội vụ",
        is_legal_document="",
        position=1,
    ),
    row(
        "Quyết định ban hành Quy chế văn thư",
        "so noi vu",
        datetime.datetime(YEAR, 7, 15),
        submission_kind="trình chủ tịch ubnd tỉnh",
        is_legal_document="x",
        supervising_leader="lanhdao",
        monitoring_officer="cvvanphong",
        notes="Văn bản QPPL",
    ),
    row(
        "Báo cáo biên giới",
        "CTH",
        "Tháng 10/2024",
        submission_kind="Ban cán sự đảng UBND tỉnh",
        is_legal_document="Có",
    ),
]


def test_a_good_sheet_imports_every_row_with_its_audit_trail(
    program: WorkProgram, org: Org, people: People
) -> None:
    result = run(program, people, xlsx(GOOD_ROWS))
    assert result.ok and result.created == 3, result.errors
    first, second, third = program.items.order_by("position")
    assert (first.position, first.lead_unit, first.due_month, first.supervising_leader) == (
        1,
        org.science,
        month(3),
        people.leader,
    )
    assert list(first.coordinating_units.all()) == [org.home_affairs]  # the same unit named twice
    assert first.search_text == "de an phat trien he sinh thai khoi nghiep"
    assert (second.position, second.lead_unit, second.due_month) == (2, org.home_affairs, month(7))
    assert second.submission_kind == "chairman" and second.is_legal_document
    assert second.monitoring_officer == people.office_officer and second.notes == "Văn bản QPPL"
    assert (third.lead_unit, third.due_month, third.submission_kind) == (
        org.district,
        month(10),
        "party_committee",
    )
    assert third.is_legal_document and third.original_due_month == month(10)
    assert AuditEvent.objects.filter(action="item.create").count() == 3
    summary = AuditEvent.objects.get(action="program.import", object_id=str(program.pk))
    assert "ct.xlsx" in summary.message and "3" in summary.message


def test_one_bad_row_imports_nothing_and_every_problem_is_reported_by_row(
    program: WorkProgram, people: People
) -> None:
    rows = [
        *GOOD_ROWS,
        row("Đề án A", "Sở Không Có", "03/2024"),  # row 5
        row("Đề án B", "SKHCN", "13/2024"),  # row 6
        row("Đề án C", "SKHCN", "03/2025"),  # row 7
        row("Đề án D", "SKHCN", "03/2024", submission_kind="Trình Quốc hội"),  # row 8
        row("Đề án E", "SKHCN", "03/2024", supervising_leader="Ông Không Tên"),  # row 9
        row("", "SKHCN", "03/2024", notes="thiếu nội dung"),  # row 10
        row("Đề án phát triển hệ sinh thái khởi nghiệp", "SKHCN", "05/2024"),  # row 11: duplicate of row 2
        row("Đề án F", "SKHCN", "03/2024", is_legal_document="có lẽ"),  # row 12
        row("Đề án G", "SKHCN", "03/2024", coordinating_units="SKHCN"),  # row 13
        row("Đề án H", "SKHCN", "03/2024", supervising_leader="truongdonvi"),  # row 14: not a leader
        row("Đề án I", "SKHCN", "03/2024", position="hai"),  # row 15
        row("Đề án J", "XTB", ""),  # row 16: another commune is within the province; month missing
    ]
    result = run(program, people, xlsx(rows))
    assert not result.ok and result.created == 0
    by_row: dict[int | None, list[str]] = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert set(by_row) == set(range(5, 17)), by_row
    assert "Sở Không Có" in by_row[5][0]
    assert "13/2024" in by_row[6][0]
    assert "không thuộc năm 2024" in by_row[7][0]
    assert "Trình Quốc hội" in by_row[8][0]
    assert "Ông Không Tên" in by_row[9][0]
    assert "thiếu nội dung" in by_row[10][0]
    assert "trùng với dòng 2" in by_row[11][0]
    assert "QPPL" in by_row[12][0]
    assert "phối hợp" in by_row[13][0]
    assert "truongdonvi" in by_row[14][0]
    assert "STT" in by_row[15][0]
    assert by_row[16] == ["thiếu thời gian trình (tháng/năm)."]
    assert not ProgramItem.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["item.create", "program.import"]).exists()


def test_importing_the_same_sheet_twice_adds_nothing_the_second_time(
    program: WorkProgram, people: People
) -> None:
    assert run(program, people, xlsx(GOOD_ROWS)).created == 3
    again = run(program, people, xlsx(GOOD_ROWS))
    assert not again.ok and {error.row for error in again.errors} == {2, 3, 4}
    assert "đã có trong chương trình" in again.errors[0].message
    assert program.items.count() == 3


def test_new_rows_are_numbered_after_the_existing_items(program: WorkProgram, people: People) -> None:
    run(program, people, xlsx([GOOD_ROWS[0]]))
    result = run(
        program, people, xlsx([row("Đề án mới", "SKHCN", "04/2024"), row("Đề án mới 2", "SNV", "05/2024")])
    )
    assert result.ok
    assert list(program.items.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_a_title_block_above_the_header_and_shuffled_columns_still_read(
    program: WorkProgram, people: People
) -> None:
    header = ["Thời gian trình", "Cơ quan chủ trì", "NỘI DUNG, ĐỀ ÁN", "Hình thức trình"]
    content = xlsx(
        [["03/2024", "SKHCN", "Đề án X", "Trình UBND tỉnh"]],
        header=header,
        above=(["CHƯƠNG TRÌNH CÔNG TÁC NĂM 2024"], ["(Kèm theo Quyết định số 3125/QĐ-UBND)"], []),
    )
    result = run(program, people, content)
    assert result.ok and program.items.get().title == "Đề án X"


def test_a_sheet_without_the_required_columns_is_refused_as_a_whole(
    program: WorkProgram, people: People
) -> None:
    result = run(program, people, xlsx([["Đề án X", "SKHCN"]], header=["Nội dung, đề án", "Cơ quan chủ trì"]))
    assert not result.ok and result.errors[0].row is None
    assert "Hình thức trình" in result.errors[0].message and "Thời gian trình" in result.errors[0].message


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "content",
    [
        io.BytesIO("STT,Nội dung\n1,Đề án".encode()),  # a CSV renamed .xlsx
        io.BytesIO(b"<html><body>not a workbook</body></html>"),
        _zip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}),  # a .docx
        _zip({"xl/workbook.xml": b"<workbook>broken"}),  # a zip dressed up as a workbook
    ],
    ids=["csv", "html", "docx", "broken-workbook"],
)
def test_a_disguised_file_is_refused_without_touching_the_database(
    program: WorkProgram, people: People, content: io.BytesIO
) -> None:
    result = run(program, people, content)
    assert not result.ok and result.errors[0].row is None
    assert "không phải là bảng tính Excel" in result.errors[0].message
    assert not ProgramItem.objects.exists()


def test_a_real_workbook_inflating_a_thousandfold_is_refused_as_a_zip_bomb(
    program: WorkProgram, people: People
) -> None:
    genuine = xlsx(GOOD_ROWS)
    padded = io.BytesIO()
    with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/padding.bin", b"\0" * 5_000_000)
    padded.seek(0)
    assert load_workbook(padded).worksheets[0]["B2"].value == "Đề án phát triển hệ sinh thái khởi nghiệp"
    padded.seek(0)
    result = run(program, people, padded)
    assert not result.ok and "bom nén" in result.errors[0].message
    assert not ProgramItem.objects.exists()


@override_settings(WORKPROGRAM_IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_size_setting_is_refused(program: WorkProgram, people: People) -> None:
    result = run(program, people, xlsx(GOOD_ROWS))
    assert not result.ok and "quá lớn" in result.errors[0].message
    assert not ProgramItem.objects.exists()


# --- The template --------------------------------------------------------------------------------------


def test_the_template_documents_its_columns_and_its_example_row_is_never_imported(
    program: WorkProgram, org: Org, people: People
) -> None:
    workbook = load_workbook(io.BytesIO(import_template_xlsx(program)))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A2"].value == "Ví dụ"
    assert workbook.sheetnames == ["Chương trình công tác", "Hướng dẫn", "Danh mục"]
    guide = [[cell.value for cell in line] for line in workbook["Hướng dẫn"].iter_rows(min_row=2, max_row=11)]
    assert [line[0] for line in guide] == HEADER
    codes = {line[0].value for line in workbook["Danh mục"].iter_rows(min_row=2) if line[0].value}
    assert {"SKHCN", "SNV", "CTH"} <= codes and "XTB" in codes
    people_listed = {line[3].value for line in workbook["Danh mục"].iter_rows(min_row=2) if line[3].value}
    assert {people.leader.username, people.office_officer.username} <= people_listed
    # Filled in below the example, the template imports; the example row does not.
    sheet.append(row("Đề án từ tệp mẫu", "SKHCN", f"04/{YEAR}", supervising_leader=people.leader.username))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = run(program, people, buffer)
    assert result.ok and [item.title for item in program.items.all()] == ["Đề án từ tệp mẫu"]


def test_the_untouched_template_has_no_data_to_import(program: WorkProgram, people: People) -> None:
    result = run(program, people, io.BytesIO(import_template_xlsx(program)))
    assert not result.ok and "không có dòng dữ liệu" in result.errors[0].message


# --- The pages -----------------------------------------------------------------------------------------


def test_the_office_downloads_the_template_and_uploads_a_sheet(
    client: Client, program: WorkProgram, django_capture_on_commit_callbacks: Any
) -> None:
    client.login(username="cvvanphong", password=PASSWORD)
    template = client.get(reverse("workprogram:program_import_template", args=[program.pk]))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in template["Content-Disposition"] and ".xlsx" in template["Content-Disposition"]
    url = reverse("workprogram:program_import", args=[program.pk])

    def upload(rows: list[Any]) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file": SimpleUploadedFile("ct.xlsx", xlsx(rows).read())})
        job = Job.objects.filter(kind=PROGRAM_IMPORT).latest("pk")
        assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
        return job

    job = upload([*GOOD_ROWS, row("Đề án A", "Sở Không Có", "03/2024")])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Không nhập được: 1 lỗi" in page and "Sở Không Có" in page
    assert "Chưa có dữ liệu nào được ghi" in page
    assert f'href="{url}"' in page  # "Nhập lại"
    assert not ProgramItem.objects.exists()

    job = upload(GOOD_ROWS)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Đã nhập 3 nội dung vào chương trình." in page
    assert f'href="{program.get_absolute_url()}"' in page
    assert program.items.count() == 3
    assert job.created_by is not None and job.created_by.username == "cvvanphong"


def test_the_import_reports_its_progress_while_it_checks_the_rows(
    program: WorkProgram, people: People
) -> None:
    rows = [row(f"Đề án số {n}", "Sở Nội vụ", "03/2024") for n in range(120)]
    reports: list[tuple[int, int | None]] = []
    result = program_import_xlsx(
        actor=people.office_officer, program=program, file=xlsx(rows),
        progress=lambda done, total=None: reports.append((done, total)),
    )  # fmt: skip
    assert result.ok and result.created == 120
    assert reports == [(0, 120), (50, 120), (100, 120), (120, 120)]


def test_the_upload_form_wants_an_xlsx_name(client: Client, program: WorkProgram) -> None:
    client.login(username="cvvanphong", password=PASSWORD)
    response = client.post(
        reverse("workprogram:program_import", args=[program.pk]),
        {"file": SimpleUploadedFile("ct.csv", b"a,b")},
    )
    assert response.status_code == 200 and ".xlsx" in response.content.decode()
    assert not ProgramItem.objects.exists()


def test_only_the_covering_office_imports_into_a_program(
    program: WorkProgram, org: Org, people: People
) -> None:
    for actor in (people.unit_staff, people.unit_head, people.leader, people.outsider):
        content = xlsx([row("Đề án chen ngang", org.science.code, "3/2024")])
        with pytest.raises(PermissionDenied):
            program_import_xlsx(actor=actor, program=program, file=content, filename="ct.xlsx")
    assert not ProgramItem.objects.exists()
    assert not AuditEvent.objects.filter(action="item.create").exists()
