"""A meeting's documents end to end in Chromium: the Office drafts the invitation, the
Chairman confirms the number on the confirmation page and issues it; after the meeting the
Office records three conclusion points ("Thêm dòng" three times) and the Office's Chief issues
the conclusion notice."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from caicach.core import clock
from caicach.deliberation.models import ConclusionPoint, MeetingDocument, MeetingStatus
from tests.browser.test_navigation import log_in
from tests.browser.test_workprogram import log_out
from tests.conftest import Org, People
from tests.deliberation.notices.factories import scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_drafts_chairman_issues_invitation_then_the_conclusion_is_issued(
    page: Any, live_server: Any, org: Org, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    today = clock.today()
    s = scene(org, people, day=today + datetime.timedelta(days=7))
    base = live_server.url
    invitation = f"{base}/phien-hop/{s.meeting.pk}/giay-moi/"

    log_in(page, base, people.office_officer.username)
    page.goto(invitation)
    page.select_option("select[name=signer]", str(s.committee.chairman.pk))
    page.fill("textarea[name=recipients]", "Như trên;\nLưu: VT, VP.")
    page.locator("main form button", has_text="Lưu dự thảo").click()
    page.wait_for_load_state()
    assert "Đã lưu dự thảo giấy mời." in page.content()
    assert page.locator("main a", has_text="Xem dự thảo (DOCX)").count() == 1
    log_out(page)

    log_in(page, base, s.committee.chairman.username)
    page.goto(invitation)
    page.locator("main form button", has_text="Ký ban hành").click()
    page.wait_for_load_state()
    assert page.locator("[data-issue-reference]").inner_text() == "01/GM-UBND"
    assert "2 đơn vị được mời" in page.locator("main").inner_text()
    page.locator("main form button", has_text="Ban hành số 01/GM-UBND").click()
    page.wait_for_load_state()
    assert "Đã ban hành văn bản số 01/GM-UBND." in page.content()
    s.meeting.refresh_from_db()
    assert s.meeting.status == MeetingStatus.INVITED
    log_out(page)

    # The meeting is held (the meetings area's "mark held"; moved to today, as if a week passed).
    s.meeting.status = MeetingStatus.HELD
    s.meeting.date = today
    s.meeting.save(update_fields=["status", "date"])
    log_in(page, base, people.office_officer.username)
    page.goto(f"{base}/phien-hop/{s.meeting.pk}/ket-luan/")
    page.select_option("select[name=signer]", str(s.chief.pk))
    deadline = today + datetime.timedelta(days=30)
    for index in range(3):
        page.locator("main form button", has_text="Thêm dòng").click()
        page.wait_for_load_state()
        page.fill(f"textarea[name=kl-{index}-content]", f"Nội dung kết luận số {index + 1}")
        page.select_option(f"select[name=kl-{index}-lead_unit]", str(org.science.pk))
        page.fill(f"input[name=kl-{index}-deadline]", f"{deadline:%d/%m/%Y}")
    page.locator("main form button", has_text="Lưu dự thảo").click()
    page.wait_for_load_state()
    assert "Đã lưu dự thảo thông báo kết luận." in page.content()
    assert ConclusionPoint.objects.filter(meeting=s.meeting).count() == 3
    log_out(page)

    log_in(page, base, s.chief.username)
    page.goto(f"{base}/phien-hop/{s.meeting.pk}/ket-luan/")
    page.locator("main form button", has_text="Ký ban hành").click()
    page.wait_for_load_state()
    assert page.locator("[data-issue-reference]").inner_text() == "01/TB-UBND"
    page.locator("main form button", has_text="Ban hành số 01/TB-UBND").click()
    page.wait_for_load_state()
    assert "Đã ban hành văn bản số 01/TB-UBND." in page.content()
    s.meeting.refresh_from_db()
    assert s.meeting.status == MeetingStatus.CONCLUDED
    assert MeetingDocument.objects.filter(registered_document__isnull=False).count() == 2
