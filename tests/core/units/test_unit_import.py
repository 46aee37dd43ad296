"""The unit list in and out of Excel: all-or-nothing import with row errors, and an export
that re-imports unchanged."""

from __future__ import annotations

import datetime
import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from caicach.core.models import AuditEvent, Job, JobStatus, Unit, UnitKind
from caicach.core.units.queries import COLUMNS, export_units_xlsx
from caicach.core.units.services import unit_import_xlsx, unit_merge
from tests.conftest import Org, People

HEADER = [title for _, title in COLUMNS]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())


def row(
    code: str, name: str, kind: str = "commune_committee", parent: str = "TNH", **extra: Any
) -> list[Any]:
    values = {
        "short_name": "",
        "valid_from": None,
        "valid_to": None,
        "successor": "",
        "document_symbol": "UBND",
        "place_name": "",
        "email": "",
        **extra,
    }
    return [
        code,
        name,
        values["short_name"],
        kind,
        parent,
        values["valid_from"],
        values["valid_to"],
        values["successor"],
        values["document_symbol"],
        values["place_name"],
        values["email"],
    ]


def test_it_creates_and_updates_by_code_with_one_event_per_unit(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("XMOI", "Ủy ban nhân dân xã Mới", valid_from="01/07/2025"),
            # the commune exists: its name changes, the Vietnamese label is accepted for kind
            row(
                "XHT",
                "UBND xã Hảo Đước (mới)",
                kind="UBND xã/phường/đặc khu",
                valid_from=datetime.datetime(2025, 7, 1),
            ),
        ]
    )

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    new = Unit.objects.get(code="XMOI")
    assert new.parent == org.province
    assert new.valid_from == datetime.date(2025, 7, 1)
    changed = Unit.objects.get(code="XHT")
    assert changed.name == "UBND xã Hảo Đước (mới)"
    assert changed.version == 2
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(new.pk)).count() == 1
    update = AuditEvent.objects.get(action="unit.update", object_id=str(changed.pk))
    assert update.changes["name"] == ["Ủy ban nhân dân xã Hảo Đước", "UBND xã Hảo Đước (mới)"]
    summary = AuditEvent.objects.get(action="unit.import")
    assert "1 thêm mới, 1 cập nhật" in summary.message


def test_a_parent_may_be_a_row_further_down_the_file(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("HMOI-PNV", "Phòng Nội vụ huyện Mới", kind="district_division", parent="HMOI"),
            row("HMOI", "Ủy ban nhân dân huyện Mới", kind="district_committee", parent="TNH"),
        ]
    )
    result = unit_import_xlsx(actor=people.admin, file=file)

    assert result.ok, result.errors
    assert Unit.objects.get(code="HMOI-PNV").parent == Unit.objects.get(code="HMOI")


def test_one_bad_row_in_the_middle_writes_nothing(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("X1", "Xã Một"),
            row("X2", "Xã Hai"),
            row("X3", "Xã Ba"),
            row("X4", "Xã Bốn"),
            row("X5", "Xã Năm", parent="XYZ"),  # spreadsheet row 6
            row("X6", "Xã Sáu"),
            row("XHT", "Tên đổi nhưng không được lưu"),
        ]
    )
    units_before = Unit.objects.count()

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert not result.ok
    assert [str(e) for e in result.errors] == ["Dòng 6: mã đơn vị cấp trên 'XYZ' không tồn tại."]
    assert Unit.objects.count() == units_before
    assert Unit.objects.get(code="XHT").name == "Ủy ban nhân dân xã Hảo Đước"
    assert not AuditEvent.objects.exists()


def test_it_reports_every_bad_row_in_vietnamese(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("X1", "Xã Một", kind="không có loại này"),
            row("X2", "", valid_from="31/02/2025"),
            row("X1", "Xã Một lần nữa"),
            row("X4", "Xã Bốn", email="không-phải-email", successor="KHONGCO"),
            row("", "Thiếu mã"),
            row("X6", "Xã Sáu", valid_from="01/07/2025", valid_to="30/06/2025"),
        ]
    )
    result = unit_import_xlsx(actor=people.admin, file=file)
    messages = [str(e) for e in result.errors]

    assert "Dòng 2: loại đơn vị 'không có loại này' không hợp lệ." in messages
    assert "Dòng 3: thiếu tên đơn vị." in messages
    assert any(m.startswith("Dòng 3: cột “Hiệu lực từ” có ngày '31/02/2025' không hợp lệ") for m in messages)
    assert "Dòng 4: mã đơn vị 'X1' trùng với dòng 2." in messages
    assert "Dòng 5: email 'không-phải-email' không hợp lệ." in messages
    assert "Dòng 5: mã đơn vị kế thừa 'KHONGCO' không tồn tại." in messages
    assert "Dòng 6: thiếu mã đơn vị." in messages
    assert "Dòng 7: ngày hết hiệu lực trước ngày bắt đầu hiệu lực." in messages
    assert not Unit.objects.filter(code__in=["X1", "X4", "X6"]).exists()


def test_it_refuses_dates_of_no_plausible_unit(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("X1", "Xã Một", valid_from="01/01/0001"),
            row("X2", "Xã Hai", valid_from=datetime.date(1900, 1, 1)),
            row("X3", "Xã Ba", valid_from="01/01/2025", valid_to="31/12/9999"),
        ]
    )
    messages = [str(e) for e in unit_import_xlsx(actor=people.admin, file=file).errors]
    assert [m.split(" phải từ ngày ")[0] for m in messages] == [
        "Dòng 2: cột “Hiệu lực từ”",
        "Dòng 3: cột “Hiệu lực từ”",
        "Dòng 4: cột “Hiệu lực đến”",
    ]
    assert all(" phải từ ngày 02/09/1945 đến ngày " in m for m in messages)
    assert not Unit.objects.filter(code__in=["X1", "X2", "X3"]).exists()


def test_it_refuses_a_parent_cycle(org: Org, people: People) -> None:
    file = xlsx([row("A", "Đơn vị A", parent="B"), row("B", "Đơn vị B", parent="A")])
    result = unit_import_xlsx(actor=people.admin, file=file)

    assert "Dòng 2: vòng lặp đơn vị cấp trên: A → B → A." in [str(e) for e in result.errors]
    assert not Unit.objects.filter(code__in=["A", "B"]).exists()


def test_it_refuses_a_cycle_through_existing_units(org: Org, people: People) -> None:
    # The province would become a child of its own district.
    file = xlsx([row("TNH", "Ủy ban nhân dân tỉnh Tây Ninh", kind="province_committee", parent="CTH")])
    result = unit_import_xlsx(actor=people.admin, file=file)

    assert any("vòng lặp đơn vị cấp trên" in str(e) for e in result.errors)
    assert Unit.objects.get(code="TNH").parent is None


def test_it_refuses_a_successor_without_a_last_day(org: Org, people: People) -> None:
    file = xlsx([row("XTB", "Ủy ban nhân dân xã Thanh Điền", successor="XHT")])

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert [str(e) for e in result.errors] == [
        "Dòng 2: có “Mã đơn vị kế thừa” nhưng chưa ghi ngày ở cột “Hiệu lực đến” (ngày cuối cùng "
        "đơn vị còn hoạt động, liền trước ngày đơn vị kế thừa tiếp nhận)."
    ]
    assert Unit.objects.get(code="XTB").successor_id is None
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_successor_not_in_existence_the_day_after(org: Org, people: People) -> None:
    Unit.objects.filter(code="XHT").update(valid_from=datetime.date(2025, 7, 1))
    file = xlsx(
        [
            # XHT (in the database) starts on 1/7/2025, a day too late for a unit ending 29/6.
            row("XTB", "Ủy ban nhân dân xã Thanh Điền", valid_to="29/06/2025", successor="XHT"),
            # XMOI (further down the file) ends before the day it should take over.
            row("X1", "Xã Một", valid_to="30/06/2025", successor="XMOI"),
            row("XMOI", "Xã Mới", valid_to="30/06/2025"),
        ]
    )

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert [str(e) for e in result.errors] == [
        "Dòng 2: đơn vị kế thừa 'XHT' không còn hoặc chưa có hiệu lực vào ngày 30/06/2025.",
        "Dòng 3: đơn vị kế thừa 'XMOI' không còn hoặc chưa có hiệu lực vào ngày 01/07/2025.",
    ]
    assert not Unit.objects.filter(code__in=["X1", "XMOI"]).exists()


def test_it_accepts_a_successor_in_existence_the_day_after(org: Org, people: People) -> None:
    file = xlsx(
        [
            row("XTB", "Ủy ban nhân dân xã Thanh Điền", valid_to="30/06/2025", successor="XMOI"),
            row("XMOI", "Xã Mới", valid_from="01/07/2025"),
        ]
    )

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert result.ok, result.errors
    merged = Unit.objects.get(code="XTB")
    assert merged.successor == Unit.objects.get(code="XMOI")
    assert merged.valid_to == datetime.date(2025, 6, 30)


def test_imported_units_are_found_by_the_folded_search(org: Org, people: People) -> None:
    file = xlsx([row("XMOI", "Xã Đức Hòa"), row("XHT", "Xã Hảo Đước mới")])

    assert unit_import_xlsx(actor=people.admin, file=file).ok

    assert Unit.objects.get(code="XMOI").search_text == "xmoi xa duc hoa"
    assert Unit.objects.get(code="XHT").search_text.startswith("xht xa hao duoc moi")


def test_it_stores_decomposed_unicode_as_nfc(org: Org, people: People) -> None:
    name = unicodedata.normalize("NFD", "Ủy ban nhân dân phường Hòa Thành")
    result = unit_import_xlsx(actor=people.admin, file=xlsx([row("PHT", name, place_name=name)]))

    assert result.ok
    unit = Unit.objects.get(code="PHT")
    assert unit.name == unicodedata.normalize("NFC", name)
    assert unit.place_name == unicodedata.normalize("NFC", name)


def test_it_rejects_a_text_file_renamed_xlsx(org: Org, people: People) -> None:
    file = SimpleUploadedFile("don-vi.xlsx", "Mã;Tên đơn vị\nX1;Xã Một\n".encode())
    result = unit_import_xlsx(actor=people.admin, file=file)

    assert [str(e) for e in result.errors] == ["Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."]
    assert not AuditEvent.objects.exists()


def test_it_rejects_a_zip_that_is_not_a_workbook(org: Org, people: People) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    result = unit_import_xlsx(actor=people.admin, file=SimpleUploadedFile("x.xlsx", buffer.getvalue()))

    assert [str(e) for e in result.errors] == ["Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."]


def test_it_rejects_an_oversized_file(org: Org, people: People, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    file = xlsx([row(f"X{n}", f"Xã số {n} có tên khá dài để tệp lớn hơn") for n in range(200)])
    assert (file.size or 0) > 1024

    result = unit_import_xlsx(actor=people.admin, file=file)

    assert len(result.errors) == 1 and "quá lớn" in str(result.errors[0])
    assert not Unit.objects.filter(code="X1").exists()


def test_it_names_missing_required_columns(org: Org, people: People) -> None:
    result = unit_import_xlsx(actor=people.admin, file=xlsx([["X1"]], header=["Mã"]))
    assert [str(e) for e in result.errors] == ["Dòng 1: thiếu cột bắt buộc: Tên đơn vị, Loại."]


def state() -> dict[str, tuple[Any, ...]]:
    fields = ["name", "short_name", "kind", "parent_id", "successor_id", "valid_from", "valid_to"]
    fields += ["document_symbol", "place_name", "email", "version"]
    return {u.code: tuple(getattr(u, name) for name in fields) for u in Unit.objects.all()}


def test_an_export_reimports_unchanged(org: Org, people: People) -> None:
    org.commune.email = "xahaoduoc@tayninh.gov.vn"
    org.commune.valid_from = datetime.date(2025, 7, 1)
    org.commune.save()
    unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=datetime.date(2025, 7, 1),
        expected_version=org.other_commune.version,
    )
    before = {
        u.code: (u.name, u.kind, u.parent_id, u.successor_id, u.valid_from, u.valid_to, u.email, u.version)
        for u in Unit.objects.all()
    }
    exported = export_units_xlsx()

    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == Unit.objects.count() + 1

    result = unit_import_xlsx(actor=people.admin, file=SimpleUploadedFile("export.xlsx", exported))

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, Unit.objects.count())
    after = {
        u.code: (u.name, u.kind, u.parent_id, u.successor_id, u.valid_from, u.valid_to, u.email, u.version)
        for u in Unit.objects.all()
    }
    assert after == before


def test_an_edited_export_updates_only_the_changed_unit(org: Org, people: People) -> None:
    workbook = load_workbook(io.BytesIO(export_units_xlsx()))
    sheet = workbook.worksheets[0]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == "SNV":
            cells[2].value = "SNV Tây Ninh"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = unit_import_xlsx(actor=people.admin, file=SimpleUploadedFile("e.xlsx", buffer.getvalue()))

    assert (result.created, result.updated) == (0, 1)
    assert Unit.objects.get(code="SNV").short_name == "SNV Tây Ninh"
    assert Unit.objects.get(code="SNV").kind == UnitKind.DEPARTMENT


# --- the page ---------------------------------------------------------------------------------


def post_import(client: Client, file: Any, capture: Any) -> Job:
    """The upload, and the background job it starts run to the end."""
    with capture(execute=True):
        response = client.post(reverse("unit_import"), {"file": file})
    job = Job.objects.get(kind="core.units_import")
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    return job


def test_the_import_runs_as_a_job_whose_page_shows_row_errors_and_nothing_is_written(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any, media: Path
) -> None:
    client.force_login(people.admin)
    file = xlsx([row("X1", "Xã Một"), row("X2", "Xã Hai", parent="XYZ")])

    job = post_import(client, file, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    assert job.errors == [{"row": 3, "message": "mã đơn vị cấp trên 'XYZ' không tồn tại."}]
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Không nhập được: 1 lỗi." in page
    assert "mã đơn vị cấp trên &#x27;XYZ&#x27; không tồn tại" in page
    assert f'href="{reverse("unit_import")}"' in page  # "Nhập lại"
    assert not Unit.objects.filter(code="X1").exists()
    assert not list((media / "jobs").rglob("*.xlsx")), "the upload is deleted once the job ends"


def test_the_import_job_reports_success_counts_and_leads_back_to_the_list(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(people.admin)
    job = post_import(client, xlsx([row("X1", "Xã Một")]), django_capture_on_commit_callbacks)

    assert job.status == JobStatus.DONE and job.progress == job.total == 1
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "1 thêm mới" in page and f'href="{reverse("unit_list")}"' in page
    assert Unit.objects.filter(code="X1", name="Xã Một").exists()


def test_an_administrator_who_lost_the_right_before_the_job_ran_imports_nothing(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(people.admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("unit_import"), {"file": xlsx([row("X1", "Xã Một")])})
    people.admin.is_superuser = False
    people.admin.save()
    people.admin.memberships.all().delete()
    for callback in callbacks:
        callback()

    job = Job.objects.get(kind="core.units_import")
    assert job.status == JobStatus.FAILED and "không còn quyền" in job.message
    assert not Unit.objects.filter(code="X1").exists()


def test_the_import_page_refuses_other_extensions(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("unit_import"), {"file": SimpleUploadedFile("don-vi.csv", b"a;b")})
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["reform_officer", "unit_head", "outsider"])
def test_only_admins_may_import(client: Client, org: Org, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    response = client.post(reverse("unit_import"), {"file": xlsx([row("X1", "Xã Một")])})
    assert response.status_code == 404
    assert not Unit.objects.filter(code="X1").exists()


def test_the_import_page_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client.force_login(people.admin)
    file = xlsx([row(f"X{n}", f"Xã {n}", parent="X0" if n else "TNH") for n in range(40)])
    with django_assert_max_num_queries(12):
        response = client.post(reverse("unit_import"), {"file": file})
    assert response.status_code == 302


def test_the_job_checks_a_large_file_with_a_constant_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    file = xlsx(
        [row(f"X{n}", f"Xã {n}", parent="X0" if n else "TNH") for n in range(120)]
        + [row("BAD", "", parent="")]
    )
    reports: list[tuple[int, int | None]] = []
    with django_assert_max_num_queries(8):
        result = unit_import_xlsx(
            actor=people.admin, file=file, progress=lambda done, total=None: reports.append((done, total))
        )
    assert [str(e) for e in result.errors] == ["Dòng 122: thiếu tên đơn vị."]
    assert reports == [(0, 121), (50, 121), (100, 121), (121, 121)]
