"""The Office opens the task statistics from the menu, picks 2024, reads the ranking and the
trend chart, and follows an overdue number to the tasks behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.oversight.statistics.factories import mixed_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_follows_an_overdue_number_to_its_tasks(
    page: Any, live_server: Any, org: Org, people: People, tmp_path: Path
) -> None:
    mixed_dataset(org, people)
    log_in(page, live_server.url, people.office_officer.username)
    page.get_by_role("link", name="Thống kê nhiệm vụ").first.click()
    page.wait_for_load_state()
    page.fill("input[name=year]", "2024")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    assert "Năm 2024" in page.locator("h1").inner_text()
    bars = page.locator("figure.kpi-chart svg[role=img] g.chart-bars rect")
    assert bars.count() == 36  # 12 months × 3 bars
    page.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)
    cell = page.locator("#by-unit tbody td[data-figure=overdue] a").first
    number = int(cell.inner_text())
    cell.click()
    page.wait_for_load_state()
    assert "Quá hạn" in page.locator("h1").inner_text()
    assert page.locator("#drill-tasks tbody tr[data-task]").count() == number
    assert page.locator("#drill-tasks tbody td", has_text="Quá hạn").count() == number
