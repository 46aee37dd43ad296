"""Two roles log in through the real login form and walk every link of the main
navigation; every page answers without an error and shows its heading."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    assert page.locator("input[name=username]").is_visible(), "a logged-out visitor lands on the login page"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=password]").count() == 0, "login failed"


def walk_navigation(page: Any, base_url: str) -> list[str]:
    links = page.locator("nav.main-nav a[href^='/']")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert hrefs, "the main navigation has links"
    for href in hrefs:
        response = page.goto(base_url + href)
        assert response is not None and response.status == 200, (
            f"{href} answered {response and response.status}"
        )
        assert page.locator("h1").first.inner_text().strip(), f"{href} has a heading"
    return hrefs


def test_an_admin_and_a_unit_staff_member_walk_the_main_navigation(
    page: Any, live_server: Any, people: People
) -> None:
    log_in(page, live_server.url, people.admin.username)
    admin_links = walk_navigation(page, live_server.url)
    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()
    assert page.locator("input[name=username]").is_visible()

    log_in(page, live_server.url, people.unit_staff.username)
    staff_links = walk_navigation(page, live_server.url)

    # Role-based navigation: the admin sees the administration pages, the staff member not.
    assert "/nhat-ky/" in " ".join(admin_links)
    assert "/nhat-ky/" not in " ".join(staff_links)
    assert len(admin_links) > len(staff_links)
