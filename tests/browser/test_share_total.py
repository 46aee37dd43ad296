"""An author edits the authors table: the running total of the shares follows every keystroke,
a ticked "Xóa" and a row added through htmx; the server still refuses a table that misses 100."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from caicach.initiatives.models import Initiative
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.initiatives.factories import make_draft, seed_authors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_share_total_follows_the_table_as_the_author_types(
    page: Any, live_server: Any, org: Org, people: People
) -> None:
    dossier = make_draft(actor=people.unit_staff, unit=org.science, authors=seed_authors(people.unit_staff))
    log_in(page, live_server.url, people.unit_staff.username)
    page.goto(live_server.url + reverse("initiatives:initiative_edit", args=[dossier.pk]))
    total = page.locator("[data-share-total] output")
    assert total.inner_text() == "100"  # rendered by the server: right without the script too

    page.fill("input[name='authors-0-share']", "20")
    assert total.inner_text() == "90"
    assert "is-off" in (page.locator("[data-share-total]").get_attribute("class") or "")

    page.fill("input[name='authors-1-share']", "33,33")
    assert total.inner_text() == "93,33"

    page.check("input[name='authors-2-DELETE']")
    assert total.inner_text() == "53,33"
    page.uncheck("input[name='authors-2-DELETE']")

    page.get_by_role("button", name="Thêm dòng tác giả").click()
    page.locator("input[name='authors-3-share']").wait_for()
    assert total.inner_text() == "93,33"  # the swapped table is counted again
    page.fill("input[name='authors-3-full_name']", "Trần Văn Bốn")
    page.fill("input[name='authors-3-share']", "6,67")
    assert total.inner_text() == "100"
    assert "is-ok" in (page.locator("[data-share-total]").get_attribute("class") or "")

    # The server judges the table all the same: a share of 0 in a row is refused.
    page.fill("input[name='authors-3-share']", "0")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert Initiative.objects.get(pk=dossier.pk).version == 1
