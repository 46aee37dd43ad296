from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.deliberation.meetings.services import (
    agenda_add_matter,
    agenda_add_program_items,
    invitee_record,
    invitees_set,
    meeting_create,
)
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.deliberation.factories import make_committee
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shots(page: Any, live_server: Any, org: Org, people: People) -> None:
    committee = make_committee(org, people)
    day = calendar.add_working_days(clock.today() + datetime.timedelta(days=12), 0)
    program = make_bare_program(org.province, year=day.year)
    items = [make_item(program, org.science, day.replace(day=1), title=t) for t in (
        "Đề án chuyển đổi số trong cơ quan hành chính nhà nước tỉnh giai đoạn 2026-2030",
        "Kế hoạch cải cách thủ tục hành chính năm 2027",
        "Quyết định ban hành Quy chế phối hợp giải quyết thủ tục hành chính liên thông")]
    meeting = meeting_create(actor=people.office_officer, committee=org.province, data={
        "kind": "regular", "date": day, "place": "Phòng họp số 1", "chair": committee.chairman})
    agenda_add_program_items(actor=people.office_officer, meeting=meeting, program_items=items[:2])
    agenda_add_matter(actor=people.office_officer, meeting=meeting, title="Báo cáo tình hình kinh tế - xã hội tháng", lead_unit=org.home_affairs, presenter="Giám đốc Sở Nội vụ")
    invitees_set(actor=people.office_officer, meeting=meeting, units=[org.science, org.home_affairs])
    inv = meeting.invitees.select_related("meeting").first()
    invitee_record(actor=people.office_officer, invitee=inv, data={"attended": True, "attendee_name": "Lê Văn B", "attendee_title": "Chuyên viên", "attendee_level": "other"}, version=inv.version)
    base = live_server.url
    log_in(page, base, people.office_officer.username)
    item = meeting.agenda_items.first()
    pages = {"list": "/phien-hop/", "detail": meeting.get_absolute_url(), "item": item.get_absolute_url(),
             "invitees": meeting.get_absolute_url() + "moi-du-hop/", "stats": f"/phien-hop/cu-khong-dung-thanh-phan/?year={day.year}",
             "create": "/phien-hop/moi/"}
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(base + url)
            page.screenshot(path=f"/tmp/meetings-shots/{name}-{width}.png", full_page=True)
