"""Meeting dossiers end to end in Chromium: the Office marks a dossier received after its
due day, the item shows on the proposed withdrawal list with the reason in words, the chair
withdraws it after a confirmation, and the program item shows the adjustment.

The live server runs on the real clock (``core.clock`` travels only in the test's own
thread), so the meeting is placed on the next working day: its dossier was due three working
days before, and today is already late."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.months import first_of_month
from caicach.core.rendering import short_date
from caicach.deliberation.models import AgendaItem, AgendaStatus
from caicach.workprogram.models import ItemStatus
from tests.browser.test_navigation import log_in
from tests.browser.test_workprogram import _adjustment_reasons, log_out  # noqa: F401  (autouse: the reasons)
from tests.conftest import Org, People
from tests.deliberation.dossiers.factories import PDF, add_agenda_item, make_meeting
from tests.deliberation.factories import make_committee
from tests.workprogram.factories import add_item, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Đề án nâng cao chất lượng phục vụ người dân, doanh nghiệp"


def test_a_late_dossier_is_listed_and_the_chair_withdraws_it_from_the_program(
    page: Any, live_server: Any, org: Org, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    committee = make_committee(org, people)
    today = clock.today()
    meeting_day = calendar.add_working_days(today, 1)
    program = make_program(org, people, year=meeting_day.year)
    program_item = add_item(
        program, people.admin, org.science, first_of_month(meeting_day), leader=people.leader, title=TITLE
    )
    meeting = make_meeting(
        org.province, meeting_day, chair=committee.chairman, title="Phiên họp UBND tỉnh thường kỳ"
    )
    item = add_agenda_item(meeting, org.science, title=TITLE, program_item=program_item)
    assert item.dossier_due < today
    scan = tmp_path / "ho-so.pdf"
    scan.write_bytes(PDF)
    base = live_server.url

    # The Office records the signed dossier that reached it today: after the deadline.
    log_in(page, base, people.office_officer.username)
    page.goto(base + reverse("deliberation:dossier_detail", args=[item.pk]))
    assert f"hạn {short_date(item.dossier_due)}" in page.locator("[data-dossier-due]").first.inner_text()
    for part in ("submission", "draft", "opinions"):
        page.locator(f"details[data-mark-part={part}] summary").click()
        form = page.locator(f"form[data-mark={part}]")
        form.locator("select").select_option("received")
        form.locator("input[type=file]").set_input_files(str(scan))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("[data-checklist] [data-entry-status]", has_text="Sau hạn").count() == 3
    page.goto(base + "/")
    assert page.locator("main", has_text="Nội dung đề nghị rút khỏi phiên họp").count() == 1
    page.goto(base + reverse("deliberation:withdrawal_list"))
    reasons = page.locator(f"[data-listed='{item.pk}'] [data-reasons]").inner_text()
    assert reasons == f"Hồ sơ đến Văn phòng ngày {short_date(today)}, sau hạn {short_date(item.dossier_due)}"
    log_out(page)

    # The chair opens the meeting's list and withdraws the item, from the program too.
    log_in(page, base, committee.chairman.username)
    page.goto(base + reverse("deliberation:meeting_withdrawal_list", args=[meeting.pk]))
    page.locator("[data-withdrawal-list] a", has_text=TITLE).click()
    page.wait_for_load_state()
    page.locator("main a", has_text="Quyết định của chủ trì").click()
    page.wait_for_load_state()
    page.locator("input[name=decision][value=withdraw]").check()
    page.fill("textarea[name=note]", "Hồ sơ gửi chậm, không đủ thời gian thẩm tra; rút khỏi chương trình.")
    page.locator("input[name=program_action][value=withdraw]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    outcome = page.locator("[data-outcome]").inner_text()
    assert "được rút khỏi Phiên họp UBND tỉnh thường kỳ" in outcome
    assert "Nội dung được rút khỏi chương trình công tác." in outcome
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaStatus.ON_AGENDA  # not before confirming
    page.locator("main form button", has_text="Xác nhận rút khỏi phiên họp").click()
    page.wait_for_load_state()
    assert "Rút khỏi phiên họp" in page.locator("[data-item-status]").inner_text()
    page.locator("[data-decision] a[data-adjustment]").click()
    page.wait_for_load_state()
    assert "Rút khỏi chương trình" in page.locator("main").inner_text()
    assert "Đã chấp thuận" in page.locator("main").inner_text()
    page.goto(base + program_item.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Đã rút khỏi chương trình" in main and "Rút khỏi chương trình" in main
    program_item.refresh_from_db()
    assert program_item.status == ItemStatus.WITHDRAWN
