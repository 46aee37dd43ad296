"""The demo's Chairman opens his province's work program in a real browser and reads the
figures of the whole program (not only the few items he supervises); a vice-chairman's page
opens on his own items and the toggle widens it to all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from caicach.core.demo import DEMO_PASSWORD
from caicach.core.models import User
from caicach.workprogram.models import ItemStatus, WorkProgram

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=password]").count() == 0, "login failed"


def test_the_chairmans_kpi_page_shows_the_committees_whole_program(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # the demo issues the monthly summaries
    call_command("load_demo", verbosity=0)
    program = WorkProgram.objects.get(issuing_unit__code="TN")
    # The year's figures count every item due that year (a withdrawn one no more; one
    # postponed into the next year counts there): 53 of the demo's 60.
    items = program.items.exclude(status=ItemStatus.WITHDRAWN).filter(due_month__year=program.year)
    chairman = User.objects.get(username="chutich")
    supervised = items.filter(supervising_leader=chairman).count()
    assert 0 < supervised < items.count(), "the demo's Chairman supervises only a few items"
    base = live_server.url

    demo_log_in(page, base, "chutich")
    page.goto(f"{base}/chuong-trinh-cong-tac/{program.pk}/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Chỉ số thực hiện").first.click()
    page.wait_for_load_state()
    summary = page.locator(".kpi-summary")
    assert summary.get_attribute("data-total-due") == str(items.count())
    assert page.get_by_role("link", name="Tất cả").get_attribute("aria-current") == "page"
    # The monthly reports (404 before) open too, every unit of the program listed.
    page.get_by_role("link", name="Báo cáo tháng").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Báo cáo tháng")

    # A vice-chairman opens on what he supervises; "Tất cả" shows the whole program.
    page.context.clear_cookies()
    vice = User.objects.get(username="lanhdao.kinhte")
    own = items.filter(supervising_leader=vice).count()
    demo_log_in(page, base, vice.username)
    page.goto(f"{base}/chuong-trinh-cong-tac/{program.pk}/chi-so/")
    assert page.locator(".kpi-summary").get_attribute("data-total-due") == str(own)
    page.get_by_role("link", name="Tất cả").click()
    page.wait_for_load_state()
    assert page.locator(".kpi-summary").get_attribute("data-total-due") == str(items.count())
