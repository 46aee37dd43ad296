"""Assigned tasks end to end in Chromium: the Office assigns tasks from a meeting's
conclusion; the lead unit reports progress and asks for an extension; the assigning leader
finds the request on the home page and approves a new deadline."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskSource, TaskStatus
from tests.browser.test_navigation import log_in
from tests.browser.test_workprogram import log_out
from tests.conftest import Org, People
from tests.oversight.factories import add_point, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def test_office_assigns_from_a_conclusion_unit_reports_and_asks_leader_approves(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    base = live_server.url
    # The live server runs on the real clock: the dates follow today.
    today = clock.today()
    deadline = calendar.add_working_days(today, 20)
    proposed = calendar.add_working_days(deadline, 10)
    granted = calendar.add_working_days(deadline, 5)
    meeting = make_meeting(org, people, day=today, chair=people.leader, title="Phiên họp UBND tỉnh chuyên đề")
    point = add_point(
        meeting, "Sở KH&CN xây dựng đề án đổi mới sáng tạo", lead_unit=org.science, deadline=deadline
    )
    add_point(meeting, "Sở Nội vụ rà soát bộ máy", lead_unit=org.home_affairs, deadline=deadline)

    log_in(page, base, people.office_officer.username)
    page.locator("nav.main-nav a", has_text="Nhiệm vụ được giao").click()
    page.locator("main a", has_text="Giao từ kết luận phiên họp").click()
    page.locator("main a", has_text="Phiên họp UBND tỉnh chuyên đề").click()
    page.wait_for_load_state()
    page.locator(f"input[name=points][value='{point.pk}']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    task = Task.objects.get()
    assert (task.source, task.assigned_by, task.lead_unit, task.deadline) == (
        TaskSource.CONCLUSION,
        people.leader,
        org.science,
        deadline,
    )
    assert "Sở KH&CN xây dựng đề án" in page.locator("main table").inner_text()
    log_out(page)

    log_in(page, base, people.unit_staff.username)
    page.locator("nav.main-nav a", has_text="Nhiệm vụ được giao").click()
    page.locator("main table a", has_text="Sở KH&CN xây dựng đề án").click()
    page.wait_for_load_state()
    page.fill("input[name=percent]", "40")
    page.fill("textarea[name=note]", "Đã xây dựng dự thảo đề án, đang lấy ý kiến các sở.")
    page.locator("main form button", has_text="Gửi báo cáo tiến độ").click()
    page.wait_for_load_state()
    assert "Đã xây dựng dự thảo đề án" in page.locator("main").inner_text()
    page.fill("input[name=proposed_deadline]", day(proposed))
    page.fill("textarea[name=reason]", "Chờ ý kiến thẩm định của Bộ Khoa học và Công nghệ.")
    page.locator("main form button", has_text="Gửi đề nghị gia hạn").click()
    page.wait_for_load_state()
    extension = Extension.objects.get()
    assert (extension.status, extension.proposed_deadline) == (ExtensionStatus.PENDING, proposed)
    task.refresh_from_db()
    assert (task.status, task.progress_percent) == (TaskStatus.IN_PROGRESS, 40)
    log_out(page)

    log_in(page, base, people.leader.username)
    assert page.locator("main", has_text="Đề nghị gia hạn nhiệm vụ chờ quyết định").count() == 1
    page.locator("main a", has_text="Sở KH&CN xây dựng đề án").first.click()
    page.wait_for_load_state()
    page.locator("input[name=decision][value=approve]").check()
    page.fill("input[name=new_deadline]", day(granted))
    page.fill("textarea[name=note]", "Đồng ý, đề nghị hoàn thành đúng thời hạn mới.")
    page.locator("main form button", has_text="Lưu quyết định").click()
    page.wait_for_load_state()
    task.refresh_from_db()
    extension.refresh_from_db()
    assert (extension.status, extension.new_deadline, extension.decided_by) == (
        ExtensionStatus.APPROVED,
        granted,
        people.leader,
    )
    assert (task.deadline, task.original_deadline) == (granted, deadline)
    text = page.locator("main").inner_text()
    assert f"thời hạn ban đầu: {day(deadline)}" in text
    assert "Đồng ý gia hạn" in text
