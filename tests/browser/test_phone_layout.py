"""Several demo roles walk the main pages on a phone (375 px): no page scrolls sideways (a
wide table scrolls inside its frame), the menu button opens the navigation, the key columns
(share, score, rates) are on screen; the wide figures pages fit a 1366 px laptop too."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from caicach.core.demo import DEMO_PASSWORD
from caicach.initiatives.models import Council, Initiative, InitiativeVersion
from caicach.workprogram.models import MonthlyReport, WorkProgram

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}
ROLES = ["quantri", "chutich", "vanphong", "cchc.snv", "hoidong.1", "canbo.chauthanh"]


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the demo issues documents
    # An earlier transactional test may have emptied the rows a migration seeds; put back the
    # adjustment reasons the demo's requests name.
    importlib.import_module("caicach.workprogram.migrations.0002_adjustment_reasons").forwards(apps, None)
    call_command("load_demo", stdout=io.StringIO())


def main_pages() -> list[str]:
    """The pages a person lands on beyond the navigation: the reports matrix, the KPI
    ranking, a dossier with its authors, the comparison of its versions, a council's scores."""
    program = WorkProgram.objects.order_by("pk").first()
    report = MonthlyReport.objects.order_by("pk").first()
    version = InitiativeVersion.objects.order_by("pk").first()
    dossier = Initiative.objects.order_by("pk").first()
    council = Council.objects.order_by("pk").first()
    assert program and report and version and dossier and council, "the demo has them all"
    return [
        reverse("workprogram:program_detail", args=[program.pk]),
        reverse("workprogram:report_list", args=[program.pk]) + f"?month={report.period.month}",
        reverse("workprogram:kpi", args=[program.pk]),
        reverse("workprogram:report_detail", args=[report.pk]),
        reverse("initiatives:initiative_detail", args=[dossier.pk]),
        reverse("initiatives:initiative_compare", args=[version.initiative_id]),
        reverse("initiatives:council_results", args=[council.pk]),
        reverse("initiatives:campaign_list"),
        reverse("calendar"),
    ]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=password]").count() == 0, f"{username} could not log in"


def sideways(page: Any) -> int:
    """How far the page scrolls sideways (0 when it does not)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_demo_roles_walk_the_main_pages_at_phone_width(browser: Any, live_server: Any, demo: None) -> None:
    base = live_server.url
    extra = main_pages()
    opened: dict[str, int] = {}
    for username in ROLES:
        context = browser.new_context(locale="vi-VN", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            log_in(page, base, username)
            # The navigation folds behind the menu button, which opens and closes it.
            toggle = page.locator("button.nav-toggle")
            nav = page.locator("nav.main-nav")
            assert toggle.is_visible(), username
            assert not nav.is_visible()
            toggle.click()
            assert toggle.get_attribute("aria-expanded") == "true"
            assert nav.is_visible()
            links = nav.locator("a[href^='/']")
            hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
            assert links.first.is_visible()
            toggle.click()
            assert not nav.is_visible()

            for href in ["/", *hrefs, *extra]:
                response = page.goto(base + href)
                assert response is not None
                if response.status == 404:
                    continue  # not this role's page
                assert response.status == 200, (username, href, response.status)
                assert sideways(page) <= 0, f"{href} scrolls sideways for {username} at 375 px"
                opened[href] = opened.get(href, 0) + 1
        finally:
            context.close()
    assert all(href in opened for href in extra), [h for h in extra if h not in opened]
    # One demo load for both walks: a transactional test empties the tables the migrations filled.
    key_columns_stay_on_screen_and_wide_tables_scroll_in_their_frame(browser, base)


def key_columns_stay_on_screen_and_wide_tables_scroll_in_their_frame(browser: Any, base: str) -> None:
    program = WorkProgram.objects.order_by("pk").first()
    dossier = Initiative.objects.filter(authorships__isnull=False).order_by("pk").first()
    council = Council.objects.order_by("pk").first()
    assert program and dossier and council
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def right_edge(selector: str) -> float:
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        return float(box["x"] + box["width"])

    try:
        log_in(page, base, "quantri")
        page.goto(base + reverse("initiatives:initiative_detail", args=[dossier.pk]))
        share = page.locator(".author-list thead th", has_text="Tỷ lệ")
        assert share.is_visible() and right_edge(".author-list thead th.num >> nth=1") <= PHONE["width"]

        page.goto(base + reverse("initiatives:council_results", args=[council.pk]))
        assert right_edge(".review-results thead th:has-text('Điểm TB')") <= PHONE["width"]

        page.goto(base + reverse("workprogram:kpi", args=[program.pk]))
        assert right_edge(".kpi-table thead th:has-text('Tỷ lệ đã trình')") <= PHONE["width"]
        # The chart keeps a legible size: its axis labels are not shrunk below 9 px.
        label = page.locator(".kpi-chart .chart-month").first.bounding_box()
        assert label is not None and label["height"] >= 9

        # The reports matrix is wider than a phone: it scrolls inside its frame, not the page.
        page.goto(base + reverse("workprogram:report_list", args=[program.pk]))
        frame = page.locator(".table-wrap:has(.report-matrix)")
        assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
        assert sideways(page) <= 0
    finally:
        context.close()

    context = browser.new_context(locale="vi-VN", viewport=LAPTOP)
    page = context.new_page()
    try:
        log_in(page, base, "chutich")
        for url in (
            reverse("workprogram:kpi", args=[program.pk]),
            reverse("workprogram:report_list", args=[program.pk]),
        ):
            response = page.goto(base + url)
            assert response is not None
            if response.status == 200:
                assert sideways(page) <= 0, f"{url} scrolls sideways at 1366 px"
                kpi = page.locator(".kpi-table")
                if kpi.count():
                    frame = page.locator(".table-wrap:has(.kpi-table)")
                    assert frame.evaluate("el => el.scrollWidth <= el.clientWidth"), (
                        "the ranking fits a laptop"
                    )
    finally:
        context.close()
