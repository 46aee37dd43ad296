"""Members' opinions end to end in Chromium: the Office drafts a consultation, attaches the
Tờ trình and sends it after a confirmation naming the members and the deadline; a member
finds it on the home page and answers "Đồng ý có ý kiến"; the Office sees the tally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caicach.deliberation.models import Consultation, ConsultationStatus
from tests.browser.test_navigation import log_in
from tests.browser.test_workprogram import log_out
from tests.conftest import Org, People
from tests.deliberation.factories import PDF, make_committee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Dự thảo Kế hoạch chuyển đổi số tỉnh Tây Ninh năm 2025"


def test_office_sends_a_member_answers_with_comments_office_sees_the_tally(
    page: Any, live_server: Any, org: Org, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    committee = make_committee(org, people)
    base = live_server.url
    submission = tmp_path / "to-trinh.pdf"
    submission.write_bytes(PDF)

    log_in(page, base, people.office_officer.username)
    page.locator("nav.main-nav a", has_text="Lấy ý kiến thành viên UBND").click()
    page.locator("a", has_text="Gửi dự thảo lấy ý kiến").click()
    page.select_option("select[name=committee]", str(org.province.pk))
    page.select_option("select[name=lead_unit]", str(org.science.pk))
    page.select_option("select[name=kind]", "plan")
    page.fill("input[name=title]", TITLE)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE
    page.select_option("select[name=role]", "submission")
    page.set_input_files("input[name=file]", str(submission))
    page.locator("main form button", has_text="Đính kèm").click()
    page.wait_for_load_state()
    assert "to-trinh.pdf" in page.locator("#tep").inner_text()
    page.locator("main a", has_text="Gửi lấy ý kiến").click()
    page.wait_for_load_state()
    confirmation = page.locator("[data-send-confirm]").inner_text()
    for member in committee.everyone:
        assert member.full_name in confirmation
    assert "Hạn cho ý kiến: hết ngày" in confirmation
    page.locator("main form button", has_text="Gửi lấy ý kiến").click()
    page.wait_for_load_state()
    consultation = Consultation.objects.get()
    assert consultation.status == ConsultationStatus.SENT
    assert consultation.deadline is not None
    assert f"{consultation.deadline:%d/%m/%Y}" in page.locator("[data-deadline]").inner_text()
    log_out(page)

    log_in(page, base, committee.member.username)
    assert page.locator("main", has_text="Dự thảo cần cho ý kiến").count() == 1
    page.locator("main a", has_text=TITLE).first.click()
    page.wait_for_load_state()
    page.locator("input[name=answer][value=agree_with_comments]").check()
    page.fill("textarea[name=comment]", "Đề nghị bổ sung chỉ tiêu dịch vụ công trực tuyến toàn trình.")
    page.locator("#y-kien-cua-toi button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đồng ý có ý kiến" in page.locator("[data-my-answer]").inner_text()
    log_out(page)

    log_in(page, base, people.office_officer.username)
    page.goto(base + consultation.get_absolute_url())
    tally = page.locator("[data-tally]").inner_text()
    assert "Đồng ý có ý kiến\t1" in tally or "Đồng ý có ý kiến 1" in " ".join(tally.split())
    assert "Chưa cho ý kiến\t3" in tally or "Chưa cho ý kiến 3" in " ".join(tally.split())
    opinions = page.locator("[data-opinions]").inner_text()
    assert "Đề nghị bổ sung chỉ tiêu dịch vụ công trực tuyến toàn trình." in opinions


def test_the_opinion_pages_fit_a_phone_and_a_laptop(browser: Any, live_server: Any, demo: None) -> None:
    from django.urls import reverse

    from tests.browser.test_phone_layout import LAPTOP, PHONE, sideways
    from tests.browser.test_phone_layout import log_in as log_in_demo

    closed = Consultation.objects.filter(status=ConsultationStatus.CLOSED).order_by("pk").first()
    assert closed is not None
    pages = [
        reverse("deliberation:consultation_list"),
        closed.get_absolute_url(),
        reverse("deliberation:punctuality") + "?year=2024&period=year",
        reverse("deliberation:consultation_create"),
        reverse("deliberation:settings"),
    ]
    for viewport in (PHONE, LAPTOP):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        log_in_demo(page, live_server.url, "vanphong")
        for url in pages:
            page.goto(live_server.url + url)
            assert page.locator("h1").count() == 1, url
            assert sideways(page) <= 0, (viewport, url)
        context.close()
