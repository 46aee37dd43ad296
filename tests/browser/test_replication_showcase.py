"""An anonymous visitor opens the public showcase from the login page, searches without
accents, opens the practice and sees the read counter rise once; a reload the same day
leaves it unchanged. The page fits a phone (375 px) and a laptop (1366 px)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from caicach.core import clock
from tests.conftest import Org
from tests.replication.factories import make_practice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium headless announces itself as HeadlessChrome, which the counter ignores as a bot;
# the visitor here is a person's browser.
PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def test_a_visitor_searches_without_accents_and_counts_once_a_day(
    browser: Any, live_server: Any, org: Org
) -> None:
    make_practice(
        org,
        name="Ngày thứ bảy lắng nghe dân nói",
        is_published=True,
        published_at=clock.now(),
        read_count=953,
        implementation_steps="Thứ bảy hằng tuần, lãnh đạo UBND xã tiếp công dân.",
    )
    make_practice(org, name="Mô hình chưa công khai")
    for viewport in ({"width": 1366, "height": 768}, {"width": 375, "height": 812}):
        context = browser.new_context(locale="vi-VN", viewport=viewport, user_agent=PERSON)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + reverse("login"))
        page.get_by_role("link", name="Mô hình, sáng kiến tiêu biểu").click()
        page.get_by_label("Tìm kiếm").fill("ngay thu bay lang nghe dan noi")
        page.get_by_role("button", name="Tìm").click()
        assert page.get_by_text("Mô hình chưa công khai").count() == 0
        page.get_by_role("link", name="Ngày thứ bảy lắng nghe dân nói").click()
        # Without a session a reader is the address and the browser: the phone's visit from
        # the same address with the same browser is the same reader, already counted today.
        assert page.locator(".read-count").inner_text() == "954"
        page.reload()
        assert page.locator(".read-count").inner_text() == "954"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        context.close()
