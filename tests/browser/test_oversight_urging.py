"""Urging end to end in Chromium: the Office finds the unit with overdue tasks, drafts the
urging notice (every overdue task ticked, the default text naming them), a leader signs and
issues it after the confirmation naming "…/UBND-VP"; the unit's head finds the notice and
his unit's tasks on the home page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.oversight.models import Task, UrgingNotice
from tests.browser.test_navigation import log_in
from tests.browser.test_workprogram import log_out
from tests.conftest import Org, People
from tests.oversight.urging.factories import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_drafts_leader_issues_unit_sees(
    page: Any,
    live_server: Any,
    org: Org,
    people: People,
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # The task page belongs to the follow-up area (another branch until the merge).
    monkeypatch.setattr(Task, "get_absolute_url", lambda self: f"/nhiem-vu/{self.pk}/")
    today = clock.today()
    first = make_task(
        org, people, deadline=calendar.working_day_before(today, 10), content="Nhiệm vụ quá hạn lâu"
    )
    second = make_task(
        org, people, deadline=calendar.working_day_before(today, 2), content="Nhiệm vụ mới quá hạn"
    )
    make_task(org, people, deadline=calendar.add_working_days(today, 20), content="Nhiệm vụ chưa đến hạn")
    base = live_server.url

    log_in(page, base, people.office_officer.username)
    page.locator("nav.main-nav a", has_text="Đôn đốc nhiệm vụ").click()
    page.wait_for_load_state()
    units = page.locator("#units-to-urge").inner_text()
    assert "Sở Khoa học và Công nghệ" in units
    page.locator("#units-to-urge a", has_text="Soạn văn bản đôn đốc").click()
    page.wait_for_load_state()
    assert page.locator("input[name=tasks]:checked").count() == 2
    body = page.locator("textarea[name=body]").input_value()
    assert "1. Nhiệm vụ quá hạn lâu" in body and "2. Nhiệm vụ mới quá hạn" in body
    assert "chưa đến hạn" not in body
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    notice = UrgingNotice.objects.get()
    assert page.locator("[data-notice-status]").inner_text() == "Dự thảo"
    log_out(page)

    log_in(page, base, people.leader.username)
    page.goto(base + notice.get_absolute_url())
    page.locator("main button", has_text="Ký, ban hành").click()
    page.wait_for_load_state()
    assert page.locator("[data-issue-reference]").inner_text() == "01/UBND-VP"
    page.locator("main button", has_text="Ban hành số 01/UBND-VP").click()
    page.wait_for_load_state()
    assert page.locator("[data-notice-status]").inner_text() == "Đã ban hành"
    notice.refresh_from_db()
    assert notice.registered_document is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.urge_count, second.urge_count) == (1, 1)
    log_out(page)

    log_in(page, base, people.unit_head.username)
    home = page.locator("main").inner_text()
    assert "Nhiệm vụ của đơn vị" in home
    assert "Nhiệm vụ quá hạn lâu" in home and "Nhiệm vụ chưa đến hạn" in home
    page.goto(base + notice.get_absolute_url())
    assert "01/UBND-VP" in page.locator("main").inner_text()
