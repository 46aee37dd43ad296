"""The work program end to end in Chromium: the Office creates the 2024 program and imports
its items from an .xlsx file; a unit's staff member asks to postpone one of them; the unit
head approves and signs the Tờ trình (a confirmation naming its number); the supervising
leader approves; the item's due month moves and its history shows why."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook

from caicach.workprogram.models import AdjustmentReason, AdjustmentRequest, ProgramItem, RequestStatus
from caicach.workprogram.programs.imports import COLUMNS
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Đề án phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Tây Ninh"


@pytest.fixture(autouse=True)
def _adjustment_reasons(db: None) -> None:
    """The allowed reasons come from a data migration; a transactional test run before this
    one flushes every table, so put them back (as the migration wrote them)."""
    seeded = importlib.import_module("caicach.workprogram.migrations.0002_adjustment_reasons")
    for position, (code, label) in enumerate(seeded.REASONS, start=1):
        AdjustmentReason.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def program_sheet(path: Path, people: People) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title for _name, title in COLUMNS])
    sheet.append([1, TITLE, "Trình UBND tỉnh", "", "SKHCN", "SNV", people.leader.username, "03/2024", "", ""])
    sheet.append(
        [2, "Quyết định ban hành Quy chế công tác văn thư, lưu trữ", "Trình UBND tỉnh", "x", "Sở Nội vụ", "",
         "Hoàng Chủ Tịch", "05/2024", "", ""]
    )  # fmt: skip
    target = path / "chuong-trinh-2024.xlsx"
    workbook.save(target)
    return target


def log_out(page: Any) -> None:
    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()


def test_office_imports_unit_asks_to_postpone_leader_approves(
    page: Any, live_server: Any, org: Org, people: People, tmp_path: Path
) -> None:
    base = live_server.url

    # The Office creates the program and imports its items.
    log_in(page, base, people.office_officer.username)
    page.locator("nav.main-nav a", has_text="Chương trình công tác").click()
    page.locator("a", has_text="Tạo chương trình").click()
    page.select_option("select[name=issuing_unit]", str(org.province.pk))
    page.fill("input[name=year]", "2024")
    page.fill("input[name=title]", "Chương trình công tác năm 2024 của UBND tỉnh")
    page.fill("input[name=decision_number]", "3125/QĐ-UBND")
    page.fill("input[name=decision_date]", "28/12/2023")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Chương trình công tác năm 2024 của UBND tỉnh"
    page.locator("a", has_text="Nhập từ Excel").click()
    with page.expect_download() as download:
        page.locator("a", has_text="Tải tệp mẫu").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.set_input_files("input[name=file]", str(program_sheet(tmp_path, people)))
    page.locator("main form button[type=submit]", has_text="Nhập").click()
    page.wait_for_load_state()
    # The import runs as a job: its page shows the progress, then the way back.
    assert page.locator("h1").inner_text() == "Nhập nội dung chương trình từ Excel"
    assert "Đã nhập 2 nội dung" in page.locator("#job-progress").inner_text()
    page.locator("#job-progress a", has_text="Xem kết quả").click()
    page.wait_for_load_state()
    assert page.locator("table.wp-items tbody tr").count() == 2
    log_out(page)

    # Science & Technology's staff member asks to postpone its item.
    log_in(page, base, people.unit_staff.username)
    page.locator("nav.main-nav a", has_text="Chương trình công tác").click()
    page.locator("a", has_text="Chương trình công tác năm 2024").click()
    assert page.locator("table.wp-items tbody tr").count() == 1  # only its own item
    page.locator("table.wp-items a", has_text=TITLE).click()
    page.locator("a", has_text="Đề nghị điều chỉnh").click()
    page.locator("input[name=kind][value=postpone]").check()
    page.fill("input[name=proposed_month]", "07/2024")
    page.locator("input[name=reason]").first.check()
    page.fill("textarea[name=explanation]", "Chờ hướng dẫn của Bộ Khoa học và Công nghệ.")
    page.fill("textarea[name=necessity]", "Bảo đảm đề án phù hợp quy định mới.")
    page.fill("textarea[name=impact]", "Không ảnh hưởng đến nhiệm vụ trọng tâm.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # Staff drafted it: it waits for the unit head, without a number yet.
    assert "Chờ lãnh đạo đơn vị duyệt" in page.locator("main").inner_text()
    assert "Tờ trình số" not in page.locator("main").inner_text()
    log_out(page)

    # The unit head finds it on the home page, reads the draft, approves and signs it.
    log_in(page, base, people.unit_head.username)
    todo = page.locator("main", has_text="Đề nghị điều chỉnh chờ bạn duyệt, ký Tờ trình")
    assert todo.count() == 1
    page.locator("main a", has_text="Lùi thời gian trình").first.click()
    page.wait_for_load_state()
    with page.expect_download() as draft:
        page.locator("main a", has_text="Dự thảo Tờ trình (DOCX)").click()
    assert draft.value.suggested_filename.endswith(".docx")
    page.locator("main button", has_text="Duyệt, ký Tờ trình").click()
    page.wait_for_load_state()
    confirmation = page.locator("section.issue-confirm")
    assert confirmation.locator("[data-issue-reference]").inner_text() == "01/TTr-SKHCN"
    assert people.unit_head.full_name in confirmation.inner_text()
    confirmation.locator("button[type=submit]").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Chờ quyết định" in main and "Tờ trình số 01/TTr-SKHCN" in main
    assert people.unit_head.full_name in main  # who signed it
    with page.expect_download() as signed:
        page.locator("main a", has_text="Tải Tờ trình (DOCX)").click()
    document = docx.Document(signed.value.path())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(people.unit_head.full_name in cell for cell in cells), "the Tờ trình names its signer"
    log_out(page)

    # The supervising leader approves.
    log_in(page, base, people.leader.username)
    page.goto(base + "/chuong-trinh-cong-tac/de-nghi/")
    page.locator("table a", has_text="Lùi thời gian trình").click()
    page.locator("input[name=decision][value=approve]").check()
    page.fill("textarea[name=note]", "Đồng ý lùi sang tháng 7/2024.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã chấp thuận" in page.locator("main").inner_text()
    page.locator("main a", has_text=TITLE).first.click()
    text = page.locator("main").inner_text()
    assert "7/2024" in text and "theo chương trình ban đầu: 3/2024" in text
    assert "Điều chỉnh theo đề nghị được chấp thuận" in text

    item = ProgramItem.objects.get(title=TITLE)
    assert item.due_month.month == 7 and item.original_due_month.month == 3
    assert AdjustmentRequest.objects.get().status == RequestStatus.APPROVED
