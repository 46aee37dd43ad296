"""Home Affairs follows replication in a real browser: the matrix with its legend, narrowed to
the communes, the laggards with their reasons, the rates chart, and the periodic summary
drafted and issued after the confirmation naming its number; at 375 px too."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.replication.models import AdoptionStatus, ReplicationSummary
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date


def test_home_affairs_reads_the_matrix_the_laggards_and_issues_the_summary(
    page: Any, live_server: Any, people: People, org: Org
) -> None:
    directive = make_directive(org, issued_on=d(2024, 1, 10))
    dialogue = make_practice(org, name="Mô hình “Ngày thứ bảy lắng nghe dân nói”")
    applied = make_obligation(directive, org.science, dialogue)
    make_report(applied, d(2024, 1, 1), d(2024, 3, 31), adoption_status=AdoptionStatus.APPLIED)
    make_obligation(directive, org.commune, dialogue)  # never reports
    base = live_server.url

    log_in(page, base, people.reform_officer.username)
    page.get_by_role("link", name="Theo dõi nhân rộng").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Theo dõi nhân rộng mô hình, giải pháp"
    science = page.locator("tr", has_text="Sở Khoa học và Công nghệ")
    assert science.get_by_text("Đã áp dụng").count() == 1
    commune = page.locator("tr", has_text="Ủy ban nhân dân xã Hảo Đước")
    assert commune.get_by_text("Chưa báo cáo").count() == 1

    page.get_by_label("Nhóm đơn vị").select_option("commune_committees")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr", has_text="Sở Khoa học và Công nghệ").count() == 0

    page.get_by_role("link", name="Đơn vị chậm triển khai").click()
    page.wait_for_load_state()
    laggard = page.locator("tbody tr", has_text="Ủy ban nhân dân xã Hảo Đước")
    assert laggard.get_by_text("Không báo cáo kỳ vừa qua").count() == 1

    page.get_by_role("link", name="Tỷ lệ áp dụng").click()
    page.wait_for_load_state()
    assert page.locator("svg polyline").count() >= 1

    page.get_by_role("link", name="Báo cáo tổng hợp").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Lập báo cáo").click()
    page.wait_for_load_state()
    page.get_by_label("Đánh giá chung").fill("Các sở cơ bản triển khai; cấp xã còn chậm.")
    page.get_by_label("Họ tên người ký").fill("Mai Xuân Trường")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã lưu dự thảo báo cáo.").count() == 1
    assert page.locator("li", has_text="Ủy ban nhân dân xã Hảo Đước").count() == 1

    page.get_by_role("button", name="Ban hành…").click()
    page.wait_for_load_state()
    assert page.get_by_text("01/BC-").count() >= 1  # the confirmation names the number
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã ban hành Báo cáo số 01/BC-").count() == 1
    summary = ReplicationSummary.objects.get()
    assert summary.registered_document is not None and summary.document_file

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/nhan-rong/theo-doi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
