"""A replication directive from draft to issue, in Chromium: Home Affairs drafts it from the
committee's accepted practices, assigns them to a group of units and reads the draft; the
Chairman reviews the confirmation naming the number and the obligations, and issues it."""

from __future__ import annotations

from typing import Any

import pytest

from caicach.core.models import Role, UnitKind
from caicach.replication.models import Directive, DirectiveStatus, Obligation, PracticeKind
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.core.factories import make_unit, person
from tests.replication.factories import make_practice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_affairs_drafts_and_the_chairman_issues_a_directive(
    browser: Any, page: Any, live_server: Any, org: Org, people: People
) -> None:
    model = make_practice(
        org, name="Ngày thứ bảy lắng nghe dân nói", implementation_steps="Bước 1: lập lịch."
    )
    solution = make_practice(org, name="Tập huấn chỉ số PAPI", kind=PracticeKind.SOLUTION)
    make_unit("XA3", name="Ủy ban nhân dân xã Hòa Hội", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)
    chairman = person(
        "chutich", org.province, Role.CHAIRMAN, full_name="Nguyễn Văn Chủ Tịch", position="Chủ tịch"
    )
    base = live_server.url

    log_in(page, base, people.reform_officer.username)
    page.goto(f"{base}/nhan-rong/van-ban/")
    page.locator("main a", has_text="Soạn văn bản chỉ đạo").click()
    page.fill("#id_title", "Triển khai nhân rộng các mô hình, cách làm hay trong công tác CCHC")
    page.locator("main button[type=submit]", has_text="Lưu dự thảo").click()
    page.wait_for_load_state()

    # The committee's accepted practices: one model, one solution under its index group.
    model_row = page.locator("fieldset", has_text=model.name)
    model_row.locator("input[type=checkbox]").check()
    solution_row = page.locator("fieldset", has_text=solution.name)
    solution_row.locator("input[type=checkbox]").check()
    solution_row.locator("select").select_option("solutions")
    solution_row.locator("input[name$=group_title]").fill("Đối với chỉ số PAPI")
    page.locator("main button[type=submit]", has_text="Lưu").click()
    page.wait_for_load_state()
    assert "Đã lưu các mô hình, giải pháp" in page.locator(".messages").inner_text()

    page.locator("main a", has_text="Thêm nội dung giao").click()
    page.locator("label", has_text=model.name).click()
    page.locator("label", has_text=solution.name).click()
    page.select_option("#id_target_group", "commune_committees")
    page.locator("main button[type=submit]", has_text="Thêm").click()
    page.wait_for_load_state()
    assignments = page.locator("#directive-assignments").inner_text()
    assert "UBND cấp xã" in assignments

    # The drafting pages work on a phone: nothing wider than the screen.
    directive = Directive.objects.get()
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("mo-hinh", "giao", "sua"):
        page.goto(f"{base}/nhan-rong/van-ban/{directive.pk}/{path}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1, path
    page.goto(f"{base}/nhan-rong/van-ban/{directive.pk}/")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as preview:
        page.locator("main a", has_text="Xem dự thảo (DOCX)").click()
    assert preview.value.suggested_filename.endswith(".docx")
    # Home Affairs prepares; it does not sign.
    assert page.locator("main button", has_text="Ký, ban hành").count() == 0

    leader_context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    leader = leader_context.new_page()
    try:
        log_in(leader, base, chairman.username)
        leader.goto(f"{base}/nhan-rong/van-ban/{directive.pk}/")
        leader.locator("main button", has_text="Ký, ban hành").click()
        leader.wait_for_load_state()
        confirmation = leader.locator("section.issue-confirm")
        assert confirmation.locator("[data-issue-reference]").inner_text() == "01/UBND-SNV"
        text = confirmation.inner_text()
        assert "Nguyễn Văn Chủ Tịch" in text and "6 nghĩa vụ nhân rộng cho 3 đơn vị" in text
        assert not Obligation.objects.exists()
        confirmation.locator("button[type=submit]", has_text="Ban hành số").click()
        leader.wait_for_load_state()
        assert "Đã ban hành văn bản số 01/UBND-SNV." in leader.locator(".messages").inner_text()
        assert leader.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    finally:
        leader_context.close()
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.ISSUED
    assert Obligation.objects.filter(directive=directive).count() == 6
