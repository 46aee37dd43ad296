"""A unit's staff member files the monthly report in a real browser — the form comes
prefilled, a delayed item refuses to go without its cause — then the Office opens the KPI
page for the year and reads figures that match the items."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.workprogram.models import ItemStatus, MonthlyReport, ReportStatus
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_files_its_report_and_the_office_reads_the_years_figures(
    page: Any, live_server: Any, people: People, org: Org
) -> None:
    program = make_program(org.province)
    make_item(program, org.science, datetime.date(2024, 1, 1), title="Đề án chuyển đổi số ngành khoa học")
    make_item(program, org.science, datetime.date(2024, 3, 1), title="Quy định quản lý nhiệm vụ khoa học")
    make_item(
        program,
        org.science,
        datetime.date(2024, 2, 1),
        status=ItemStatus.ISSUED,
        submitted_on=datetime.date(2024, 2, 20),
        issued_on=datetime.date(2024, 3, 5),
        title="Kế hoạch phát triển thị trường khoa học và công nghệ",
    )
    make_item(program, org.home_affairs, datetime.date(2024, 2, 1), title="Kế hoạch tuyển dụng công chức")
    base = live_server.url

    log_in(page, base, people.unit_staff.username)
    page.goto(f"{base}/chuong-trinh-cong-tac/{program.pk}/")
    page.get_by_role("link", name="Báo cáo tháng").click()
    page.wait_for_load_state()
    page.get_by_label("Tháng").select_option("3")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Báo cáo tháng 3/2024"
    page.get_by_role("link", name="Lập báo cáo").click()
    page.wait_for_load_state()
    assert page.locator("legend", has_text="Đề án chuyển đổi số ngành khoa học").count() == 1
    assert page.locator("legend", has_text="Kế hoạch tuyển dụng công chức").count() == 0  # not Science's
    # The January item is proposed as delayed; sending it without a cause is refused.
    delayed = page.locator("fieldset.report-line", has_text="Đề án chuyển đổi số ngành khoa học")
    assert delayed.locator("select").input_value() == "delayed"
    page.get_by_role("button", name="Gửi báo cáo đến Văn phòng").click()
    page.wait_for_load_state()
    assert page.get_by_text("Vui lòng nêu nguyên nhân chậm.").count() >= 1
    assert not MonthlyReport.objects.filter(status=ReportStatus.SUBMITTED).exists()

    delayed = page.locator("fieldset.report-line", has_text="Đề án chuyển đổi số ngành khoa học")
    delayed.get_by_label("Nguyên nhân chậm").fill("Chờ ý kiến thẩm định của Sở Tư pháp")
    delayed.get_by_label("Giải pháp khắc phục").fill("Đôn đốc cơ quan thẩm định")
    delayed.get_by_label("Dự kiến hoàn thành").fill("15/04/2024")
    page.get_by_label("Khó khăn, vướng mắc").fill("Thiếu cán bộ chuyên trách chuyển đổi số.")
    page.get_by_role("button", name="Gửi báo cáo đến Văn phòng").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Báo cáo tháng 3/2024"
    assert page.get_by_text("Chờ ý kiến thẩm định của Sở Tư pháp").count() == 1
    report = MonthlyReport.objects.get(unit=org.science)
    assert report.status == ReportStatus.SUBMITTED
    assert report.lines.count() == 2  # the issued February item has nothing left to report

    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()
    log_in(page, base, people.office_officer.username)
    page.goto(f"{base}/chuong-trinh-cong-tac/{program.pk}/chi-so/?period=y")
    summary = page.locator("section.kpi-summary")
    assert summary.get_attribute("data-total-due") == "4"
    assert summary.get_attribute("data-total-submitted") == "1"
    assert summary.get_attribute("data-total-issued") == "1"
    assert summary.locator("dd").first.inner_text() == "4"
    science = page.locator("table.kpi-table tbody tr", has_text="Sở Khoa học và Công nghệ")
    assert science.locator("td").nth(1).inner_text() == "3"  # due
    assert "33,3%" in science.inner_text()  # 1 of 3 submitted
    assert page.locator("figure.kpi-chart svg").count() == 1
    # And the report list shows Science's report as sent.
    page.goto(f"{base}/chuong-trinh-cong-tac/{program.pk}/bao-cao/?month=3")
    row = page.locator("tbody tr", has_text="Sở Khoa học và Công nghệ").first
    assert "Gửi muộn" in row.inner_text() or "Đúng hạn" in row.inner_text()
