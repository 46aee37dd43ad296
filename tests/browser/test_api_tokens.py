"""A unit's staff member makes an API token on its page in a real browser, copies it (it is
shown once), an integration files the unit's monthly report and reads the KPIs with it over
HTTP, the page shows when it was last used, and once revoked there the token opens nothing."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.urls import reverse

from caicach.workprogram.models import MonthlyReport, ReportStatus
from tests.api.conftest import Scene, scene  # noqa: F401 (the API tests' scene, a fixture)
from tests.api.test_writes import march_report
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _call(url: str, token: str, body: Any = None) -> tuple[int, Any]:
    """An integration's request: no browser, no cookie, the bearer token only."""
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_token_made_on_its_page_files_a_report_until_it_is_revoked(
    page: Any,
    live_server: Any,
    people: People,
    org: Org,
    scene: Scene,  # noqa: F811 (the fixture imported above)
) -> None:
    base = live_server.url
    log_in(page, base, people.unit_staff.username)
    page.goto(base + reverse("api_tokens"))
    page.get_by_label("Tên gợi nhớ").fill("Hệ thống báo cáo của Sở")
    page.get_by_label("Chương trình công tác — đọc và ghi").check()
    page.get_by_role("button", name="Tạo mã").click()
    page.wait_for_load_state()
    secret = page.locator("[data-token-secret]").inner_text().strip()
    assert secret.startswith("cc_")
    row = page.locator("tr[data-token]", has_text="Hệ thống báo cáo của Sở")
    assert row.get_by_text("Đang dùng").count() == 1 and row.locator("td").nth(5).inner_text() == "—"
    page.reload()
    assert page.locator("[data-token-secret]").count() == 0, "the secret is shown once"

    api = base + "/api/v1"
    status, body = _call(f"{api}/workprogram/monthly-reports", secret, march_report(scene, org))
    assert status == 200, body
    assert body["status"] == "submitted" and body["unit_id"] == org.science.pk
    report = MonthlyReport.objects.get(pk=body["id"])
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == people.unit_staff
    status, kpis = _call(f"{api}/workprogram/programs/{scene.program.pk}/kpis?period=q1", secret)
    assert status == 200 and {row["unit_id"] for row in kpis["units"]} == {org.science.pk}

    page.reload()
    row = page.locator("tr[data-token]", has_text="Hệ thống báo cáo của Sở")
    assert row.locator("td").nth(5).inner_text() != "—", "the page shows the token's last use"
    row.get_by_role("button", name="Thu hồi").click()
    page.wait_for_load_state()
    row = page.locator("tr[data-token]", has_text="Hệ thống báo cáo của Sở")
    assert row.get_by_text("Đã thu hồi").count() == 1
    status, refused = _call(f"{api}/workprogram/programs/{scene.program.pk}/kpis?period=q1", secret)
    assert status == 401 and set(refused) == {"code", "message", "fields"}
