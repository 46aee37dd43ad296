"""The practice catalogue in Chromium: Home Affairs adds a practice; a unit proposes one of
its own and Home Affairs accepts it; the proposer is told. Pages fit a phone's screen."""

from __future__ import annotations

from typing import Any

import pytest

from caicach.core.models import Notification
from caicach.replication.models import Practice, PracticeStatus
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_affairs_adds_a_practice_and_accepts_a_units_proposal(
    browser: Any, page: Any, live_server: Any, org: Org, people: People
) -> None:
    base = live_server.url

    log_in(page, base, people.reform_officer.username)
    page.goto(f"{base}/")
    page.locator("a", has_text="Mô hình, cách làm hay").first.click()
    page.locator("main a", has_text="Thêm mô hình, giải pháp").click()
    page.fill("#id_name", "Ngày thứ bảy lắng nghe dân nói")
    page.select_option("#id_origin_unit", str(org.district.pk))
    page.fill("#id_summary", "Lãnh đạo tiếp và đối thoại với người dân vào sáng thứ bảy.")
    page.fill("#id_implementation_steps", "1. Thông báo lịch tiếp dân.\n2. Tổ chức đối thoại.")
    page.fill("#id_contact", "Văn phòng UBND huyện Châu Thành")
    page.locator("main button[type=submit]", has_text="Lưu").click()
    page.wait_for_load_state()
    assert "Đã thêm mô hình" in page.locator(".messages").inner_text()
    assert "Văn phòng UBND huyện Châu Thành" in page.locator("main").inner_text()
    created = Practice.objects.get()
    assert created.status == PracticeStatus.ACCEPTED

    unit_context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    unit = unit_context.new_page()
    try:
        log_in(unit, base, people.unit_staff.username)
        unit.goto(f"{base}/nhan-rong/mo-hinh/")
        assert "Ngày thứ bảy lắng nghe dân nói" in unit.locator("main").inner_text()
        assert unit.evaluate("document.documentElement.scrollWidth") <= 375 + 1
        unit.locator("main a", has_text="Đề xuất mô hình, cách làm hay").click()
        assert unit.evaluate("document.documentElement.scrollWidth") <= 375 + 1
        unit.fill("#id_name", "Tổ công nghệ số cộng đồng")
        unit.select_option("#id_kind", "way_of_working")
        unit.fill("#id_summary", "Hướng dẫn người dân nộp hồ sơ trực tuyến.")
        unit.fill("#id_proposal_note", "Sở đã áp dụng từ năm 2023, tỷ lệ hồ sơ trực tuyến tăng 20%.")
        unit.locator("main button[type=submit]", has_text="Gửi đề xuất").click()
        unit.wait_for_load_state()
        assert "Đã gửi đề xuất" in unit.locator(".messages").inner_text()
        assert unit.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    finally:
        unit_context.close()
    proposal = Practice.objects.get(status=PracticeStatus.PROPOSED)
    assert proposal.proposing_unit == org.science

    page.goto(f"{base}/nhan-rong/mo-hinh/?status=proposed")
    page.locator("main a", has_text="Tổ công nghệ số cộng đồng").click()
    page.locator("label", has_text="Chọn để nhân rộng").click()
    page.fill("#id_note", "Phù hợp để nhân rộng ở các xã.")
    page.locator("main button[type=submit]", has_text="Ghi kết quả đánh giá").click()
    page.wait_for_load_state()
    assert "Đã ghi kết quả đánh giá" in page.locator(".messages").inner_text()
    proposal.refresh_from_db()
    assert proposal.status == PracticeStatus.ACCEPTED
    assert Notification.objects.filter(recipient=people.unit_staff).count() == 1

    page.locator("main button", has_text="Công khai trên trang giới thiệu").click()
    page.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.is_published
