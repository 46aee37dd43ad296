"""A unit's staff member files an adoption report in a real browser — a result row added
with "Thêm dòng", a decimal comma, sent — Home Affairs returns it with a note, and the unit
completes it and sends it again; the form is usable on a phone (375 px)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from caicach.replication.models import AdoptionReport, AdoptionReportStatus, AdoptionStatus
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.replication.factories import make_directive, make_obligation, make_practice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page: Any) -> None:
    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()


def test_a_unit_files_a_report_home_affairs_returns_it_and_the_unit_sends_it_again(
    page: Any, live_server: Any, people: People, org: Org
) -> None:
    directive = make_directive(org, issued_on=datetime.date(2024, 1, 10))
    practice = make_practice(org, name="Ngày thứ bảy lắng nghe dân nói")
    make_obligation(directive, org.science, practice)
    base = live_server.url

    log_in(page, base, people.unit_staff.username)
    page.goto(f"{base}/nhan-rong/nhiem-vu/")
    assert page.locator("h1").inner_text() == "Nhiệm vụ nhân rộng của đơn vị"
    row = page.locator("tr", has_text="Ngày thứ bảy lắng nghe dân nói")
    assert row.get_by_text("Chưa báo cáo").count() == 1
    row.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_load_state()
    assert "Báo cáo kết quả nhân rộng kỳ" in page.locator("h1").inner_text()

    page.get_by_label("Mức độ triển khai").select_option(AdoptionStatus.APPLIED)
    page.get_by_label("Ngày bắt đầu triển khai").fill("01/03/2024")
    page.get_by_label("Phạm vi, đối tượng áp dụng").fill(
        "Bộ phận tiếp nhận và trả kết quả, người dân đến làm thủ tục"
    )
    page.get_by_role("button", name="Thêm dòng").click()
    page.wait_for_load_state()
    # The typed values come back with the new row (nothing saved yet).
    assert page.get_by_label("Ngày bắt đầu triển khai").input_value() == "01/03/2024"
    last = page.locator(".result-row").last
    last.get_by_label("Chỉ tiêu").fill("Số buổi đối thoại với người dân")
    last.get_by_label("Đơn vị tính").fill("buổi")
    last.get_by_label("Giá trị ban đầu").fill("0")
    last.get_by_label("Giá trị hiện tại").fill("12,5")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã gửi báo cáo đến Sở Nội vụ.").count() == 1
    report = AdoptionReport.objects.get()
    assert report.status == AdoptionReportStatus.SUBMITTED
    assert [(r.indicator, r.current) for r in report.results.all()] == [
        ("Số buổi đối thoại với người dân", Decimal("12.5"))
    ]
    log_out(page)

    log_in(page, base, people.reform_officer.username)
    page.goto(f"{base}/nhan-rong/xem-xet-bao-cao/")
    page.get_by_role("link", name="Ngày thứ bảy lắng nghe dân nói").click()
    page.wait_for_load_state()
    page.get_by_label("Nội dung cần bổ sung").fill("Đề nghị bổ sung biên bản các buổi đối thoại.")
    page.get_by_role("button", name="Trả lại báo cáo").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã trả lại báo cáo cho đơn vị để bổ sung.").count() == 1
    report.refresh_from_db()
    assert report.status == AdoptionReportStatus.RETURNED
    log_out(page)

    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, base, people.unit_staff.username)
    page.goto(f"{base}{report.get_absolute_url()}")
    assert page.get_by_text("Đề nghị bổ sung biên bản các buổi đối thoại.").count() >= 1
    page.get_by_role("link", name="Bổ sung và gửi lại").click()
    page.wait_for_load_state()
    assert int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0
    page.get_by_label("Khó khăn, vướng mắc").fill("Người dân vùng xa ít tham gia.")
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == AdoptionReportStatus.SUBMITTED
    assert report.difficulties == "Người dân vùng xa ít tham gia."
    assert page.get_by_text("Trả lại để bổ sung").count() >= 1  # the history on the report's page
