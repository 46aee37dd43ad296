"""An administrator, whose role requires the two-step login, enrols on first login by typing
the secret the page shows into an "authenticator" (django-otp's TOTP here), then logs in
again with a code from it."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp

from tests.conftest import PASSWORD, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_an_admin_enrols_then_logs_in_with_a_totp_code(
    page: Any, live_server: Any, people: People, settings: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = ["system_admin"]
    _password_step(page, live_server.url, people.admin.username)
    assert "/xac-thuc-hai-buoc/dang-ky/" in page.url
    assert page.locator(".mfa-qr svg").is_visible()
    secret = page.locator("[data-mfa-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    # The home page stays out of reach until the enrolment is confirmed.
    page.goto(live_server.url + "/nguoi-dung/")
    assert "/xac-thuc-hai-buoc/dang-ky/" in page.url
    page.fill("input[name=code]", f"{totp(key):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-recovery-codes] li").count() == 10
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_load_state()
    assert page.url.endswith("/nguoi-dung/")

    page.locator("details.user-menu summary").click()
    page.locator("form.logout button").click()
    page.wait_for_load_state()
    _password_step(page, live_server.url, people.admin.username)
    assert "/xac-thuc-hai-buoc/" in page.url and "dang-ky" not in page.url
    # The next time step: the enrolment's own code cannot be given twice.
    page.fill("input[name=code]", f"{totp(key, drift=1):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    assert page.locator("input[name=code]").count() == 0
