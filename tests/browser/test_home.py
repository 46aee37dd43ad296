"""A unit head opens the home page on a phone: their to-do list reads without scrolling
sideways, and each entry leads to the page where the work is done."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from caicach.core import clock
from caicach.initiatives.models import Authorship, Initiative, InitiativeStatus
from tests.browser.test_navigation import log_in
from tests.conftest import Org, People
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_a_unit_head_reads_their_to_do_list_on_a_phone_and_opens_a_dossier_to_confirm(
    browser: Any, live_server: Any, org: Org, people: People
) -> None:
    today = clock.today()
    dossier = Initiative.objects.create(
        unit=org.science,
        title="Số hóa quy trình tiếp nhận hồ sơ nhiệm vụ khoa học và công nghệ cấp tỉnh",
        status=InitiativeStatus.AWAITING_CONFIRMATION,
        created_by=people.unit_staff,
        submitted_at=clock.now(),
    )
    Authorship.objects.create(
        initiative=dossier, position=1, user=people.unit_staff, full_name="Nguyễn Thị Cán Bộ",
        share=Decimal(100), is_lead=True,
    )  # fmt: skip
    # This year's program (a report due this month) and last year's (an item long overdue).
    make_item(make_bare_program(org.province, year=today.year), org.science, today.replace(day=1))
    make_item(
        make_bare_program(org.province, year=today.year - 1), org.science, datetime.date(today.year - 1, 1, 1)
    )

    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, people.unit_head.username)
        todos = page.locator("section.todo")
        assert todos.count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.get_by_text("Quá hạn").first.is_visible()
        page.get_by_role("link", name=dossier.title).click()
        page.wait_for_load_state()
        assert page.url.endswith(dossier.get_absolute_url())
        assert dossier.title in page.locator("h1").first.inner_text()
    finally:
        context.close()
