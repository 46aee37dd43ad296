"""Meetings end to end in Chromium: the Office schedules the committee's regular meeting,
ticks the program items due that month that the page proposes, adds them in one go and
reads each item's dossier deadline in words and date ("trước 3 ngày làm việc: hạn …")."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.rendering import short_date
from caicach.deliberation.models import AgendaItem, Meeting
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.deliberation.factories import make_committee
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_schedules_a_meeting_and_adds_the_proposed_program_items(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    committee = make_committee(org, people)
    # Three weeks on, on a working day: its month's program items are proposed.
    day = calendar.add_working_days(clock.today() + datetime.timedelta(days=21), 0)
    program = make_bare_program(org.province, year=day.year)
    titles = ["Đề án chuyển đổi số trong cơ quan hành chính", "Kế hoạch cải cách thủ tục hành chính"]
    for title in titles:
        make_item(program, org.science, day.replace(day=1), title=title)
    make_item(
        program, org.science, (day.replace(day=1) + datetime.timedelta(days=40)).replace(day=1), title="Sau"
    )
    base = live_server.url

    log_in(page, base, people.office_officer.username)
    page.locator("nav.main-nav a", has_text="Phiên họp UBND").click()
    page.locator("a", has_text="Lên lịch phiên họp").click()
    page.select_option("select[name=committee]", str(org.province.pk))
    page.select_option("select[name=kind]", "regular")
    page.fill("input[name=date]", f"{day:%d/%m/%Y}")
    page.fill("input[name=place]", "Phòng họp số 1, trụ sở UBND tỉnh")
    page.select_option("select[name=chair]", str(committee.chairman.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get()
    assert page.locator("h1").inner_text() == f"Phiên họp UBND thường kỳ tháng {day:%m/%Y}"
    assert committee.chairman.full_name in page.locator("[data-meeting-info]").inner_text()

    proposals = page.locator("[data-proposals]")
    for title in titles:
        assert title in proposals.inner_text()
    assert "Đề án của tháng sau" not in proposals.inner_text()
    proposals.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
    due = calendar.working_day_before(day, 3)
    agenda = page.locator("[data-agenda]").inner_text()
    for title in titles:
        assert title in agenda
    assert agenda.count(f"trước 3 ngày làm việc: hạn {short_date(due)}") == 2
