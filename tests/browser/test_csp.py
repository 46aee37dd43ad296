"""Demo roles walk the product under its Content-Security-Policy: the home page, every link of
the navigation and the links found there (lists, details, forms, KPIs and the chart, reports,
inbox, calendar, audit, documents and confirmation pages), the public verification page;
the browser must report no violation (a `securitypolicyviolation` event or a console error)
and no script error. Then the behaviours the policy could break still work: the menu on a
phone, the running share total, and htmx swapping a partial."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from caicach.core.demo import DEMO_PASSWORD
from caicach.core.models import User
from caicach.initiatives.models import Certificate, Council, Initiative, InitiativeVersion, ReviewAssignment
from caicach.workprogram.models import MonthlyReport, WorkProgram
from tests.initiatives.factories import make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["quantri", "chutich", "cchc.snv", "vanphong", "hoidong.1", "truong.skhcn", "canbo.skhcn"]
PAGES_PER_ROLE = 45
PHONE = {"width": 375, "height": 812}

# Files, not pages (the browser would download them), and the way out.
NOT_A_PAGE = re.compile(r"\.(docx|pdf|xlsx|zip)$|/tai-ve/$|/tep-dinh-kem/\d+/$|/dang-xuat/")

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber + " " + (event.sample || "")
  );
});
"""


class Watcher:
    """A browser context whose pages report every policy violation, console error and
    uncaught script error."""

    def __init__(self, browser: Any, base: str, viewport: dict[str, int] | None = None) -> None:
        self.base = base
        size = viewport or {"width": 1280, "height": 900}
        self.context = browser.new_context(locale="vi-VN", viewport=size)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", self._script_error)

    def _script_error(self, error: Any) -> None:
        self.problems.append(f"{self.page.url}: script error {error}")

    def _console(self, message: Any) -> None:
        if message.type == "error" and "404" not in message.text:
            self.problems.append(f"{self.page.url}: console {message.text}")

    def violations(self) -> list[str]:
        # The event is dispatched in a task after the refusal: let it run before reading.
        found: list[str] = self.page.evaluate(
            "() => new Promise(done => setTimeout(() => done(window.__cspViolations || []), 50))"
        )
        return [f"{self.page.url}: {entry}" for entry in found]

    def open(self, href: str) -> int:
        response = self.page.goto(self.base + href)
        assert response is not None, href
        self.problems.extend(self.violations())
        return int(response.status)

    def log_in(self, username: str) -> None:
        self.open(reverse("login"))
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_load_state()
        assert self.page.locator("input[name=password]").count() == 0, f"{username} could not log in"
        self.problems.extend(self.violations())

    def links(self) -> list[str]:
        hrefs: list[str] = self.page.eval_on_selector_all(
            "main a[href^='/'], nav.main-nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
        )
        return [href for href in hrefs if not NOT_A_PAGE.search(urlsplit(href).path)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watchers(browser: Any, live_server: Any) -> Iterator[list[Watcher]]:
    opened: list[Watcher] = []
    yield opened
    for watcher in opened:
        watcher.close()


def pages_beyond_the_navigation() -> list[str]:
    """Detail pages a walk from the menu may not reach within its budget."""
    program = WorkProgram.objects.order_by("pk").first()
    report = MonthlyReport.objects.order_by("pk").first()
    version = InitiativeVersion.objects.order_by("pk").first()
    dossier = Initiative.objects.filter(authorships__isnull=False).order_by("pk").first()
    council = Council.objects.order_by("pk").first()
    review = ReviewAssignment.objects.order_by("pk").first()
    assert program and report and version and dossier and council and review, "the demo has them all"
    return [
        reverse("workprogram:program_detail", args=[program.pk]),
        reverse("workprogram:report_list", args=[program.pk]) + f"?month={report.period.month}",
        reverse("workprogram:kpi", args=[program.pk]),
        reverse("workprogram:kpi_unfinished", args=[program.pk]),
        reverse("workprogram:report_detail", args=[report.pk]),
        reverse("initiatives:initiative_detail", args=[dossier.pk]),
        reverse("initiatives:initiative_compare", args=[version.initiative_id]),
        reverse("initiatives:council_detail", args=[council.pk]),
        reverse("initiatives:council_results", args=[council.pk]),
        reverse("initiatives:review_score", args=[review.pk]),
        reverse("initiatives:recognition_campaign", args=[dossier.campaign_id]),
        reverse("audit_search"),
        reverse("inbox"),
        reverse("calendar"),
        reverse("document_register"),
    ]


def walk(watcher: Watcher, start: list[str]) -> dict[str, int]:
    """Breadth first from ``start``, one visit per path, at most PAGES_PER_ROLE pages."""
    queue = list(start)
    seen: set[str] = set()
    statuses: dict[str, int] = {}
    while queue and len(statuses) < PAGES_PER_ROLE:
        href = queue.pop(0)
        path = urlsplit(href).path
        if path in seen:
            continue
        seen.add(path)
        status = watcher.open(href)
        statuses[href] = status
        assert status in (200, 404), (href, status)  # 404: not this role's page
        if status == 200:
            queue.extend(watcher.links())
    return statuses


def test_demo_roles_walk_the_product_without_a_policy_violation(
    browser: Any, live_server: Any, demo: None, watchers: list[Watcher]
) -> None:
    extra = pages_beyond_the_navigation()
    opened: dict[str, int] = {}
    for username in ROLES:
        watcher = Watcher(browser, live_server.url)
        watchers.append(watcher)
        watcher.log_in(username)
        for href, status in walk(watcher, ["/", *extra]).items():
            if status == 200:
                opened[href] = opened.get(href, 0) + 1
        assert watcher.problems == [], username
    assert all(href in opened for href in extra), [href for href in extra if href not in opened]
    assert len(opened) > 80, "the walk reached the product's pages"

    # The public pages: the certificate check and a certificate as a stranger sees it.
    anonymous = Watcher(browser, live_server.url)
    watchers.append(anonymous)
    certificate = Certificate.objects.order_by("pk").first()
    assert certificate is not None
    assert anonymous.open(reverse("verification:form")) == 200
    assert anonymous.open(reverse("verification:certificate", args=[certificate.verification_code])) == 200
    assert anonymous.open(reverse("login")) == 200
    assert anonymous.problems == []

    # The listener would see a violation: a style element added by a script is refused.
    anonymous.page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'p{}'; document.head.append(s); }"
    )
    assert any("style-src" in entry for entry in anonymous.violations())

    still_works_on_a_phone(browser, live_server.url, watchers)


def still_works_on_a_phone(browser: Any, base: str, watchers: list[Watcher]) -> None:
    watcher = Watcher(browser, base, PHONE)
    watchers.append(watcher)
    page = watcher.page
    watcher.log_in("canbo.skhcn")

    # The menu button folds and unfolds the navigation.
    toggle, nav = page.locator("button.nav-toggle"), page.locator("nav.main-nav")
    assert toggle.is_visible() and not nav.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
    toggle.click()
    assert not nav.is_visible()

    # A draft's authors table: the share total follows the typing, and "add an author" swaps
    # the table in through htmx (a POST with the CSRF header from the body's hx-headers).
    author = User.objects.get(username="canbo.skhcn")
    assert author.unit is not None
    draft = make_draft(actor=author, unit=author.unit)  # the demo's campaigns closed in 2024
    assert watcher.open(reverse("initiatives:initiative_edit", args=[draft.pk])) == 200
    total = page.locator("[data-share-total] output")
    assert total.inner_text() == "100"
    page.fill("input[name='authors-0-share']", "20")
    assert total.inner_text() == "90"
    page.get_by_role("button", name="Thêm dòng tác giả").click()
    page.locator("input[name='authors-3-share']").wait_for()
    page.fill("input[name='authors-3-share']", "10")
    assert total.inner_text() == "100"

    # A list filtered through htmx: the table is replaced in place, the address follows.
    assert watcher.open(reverse("unit_list")) == 200
    search = page.locator("form.filters input[name=q]")

    def swapped(response: Any) -> bool:
        return "/don-vi/" in response.url and bool(response.request.headers.get("hx-request"))

    with page.expect_response(swapped):
        search.fill("Sở Nội vụ")
        search.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')")
    rows = page.locator("#unit-table tbody tr")
    assert rows.count() >= 1 and all("Nội vụ" in text for text in rows.all_inner_texts())
    watcher.problems.extend(watcher.violations())
    assert watcher.problems == []
