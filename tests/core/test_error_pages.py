"""Error pages speak Vietnamese, in the site's layout, and a 404 never tells whether the
object exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from tests.conftest import Org, People
from tests.initiatives.factories import make_draft, open_campaign

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_vietnamese_404_in_the_layout(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'class="site-header"' in page
    assert "Page not found" not in page


def test_a_server_error_gets_the_vietnamese_500_page(people: People) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(people.unit_staff)
    with override_settings(ROOT_URLCONF="tests.core.error_urls"):
        response = client.get("/loi/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi hệ thống" in page
    assert "Traceback" not in page and "Server Error" not in page


# --- With DEBUG on (the demo) -----------------------------------------------------------------
# Django would show its English technical pages; ErrorPagesMiddleware answers with ours unless
# TECHNICAL_ERROR_PAGES asks for Django's.


def _private_dossier(org: Org, people: People) -> int:
    campaign = open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )
    return make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign).pk


@override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=False)
def test_with_debug_on_a_denied_object_and_an_absent_one_get_the_same_vietnamese_page(
    client: Client, org: Org, people: People
) -> None:
    pk = _private_dossier(org, people)
    client.force_login(people.outsider)
    denied = client.get(reverse("initiatives:initiative_detail", args=[pk]))
    absent = client.get(reverse("initiatives:initiative_detail", args=[pk + 1000]))
    assert denied.status_code == absent.status_code == 404

    # The same page, but for the address itself (the language switch returns to it) and the
    # CSRF token (masked afresh on each page).
    def plain(response: Any, pk: int) -> str:
        text = response.content.decode().replace(f"/sang-kien/ho-so/{pk}/", "X")
        return re.sub(r"[A-Za-z0-9]{64}", "T", text)

    assert plain(denied, pk) == plain(absent, pk + 1000)
    page = denied.content.decode()
    assert "Không tìm thấy trang" in page and 'class="site-header"' in page
    for technical in ("Page not found", "No Initiative matches", "URLconf", "Technical"):
        assert technical not in page


@override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=False)
def test_with_debug_on_an_unknown_address_gets_the_vietnamese_404(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and 'class="site-header"' in page
    assert "URLconf" not in page and "Page not found" not in page
    # APPEND_SLASH still redirects an address missing its slash.
    assert client.get("/dang-nhap").status_code == 301


@override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=False, ROOT_URLCONF="tests.core.error_pages_urls")
def test_with_debug_on_403_and_500_are_vietnamese(people: People) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(people.unit_staff)
    denied = client.get("/cam/")
    assert denied.status_code == 403
    assert "Không thực hiện được thao tác" in denied.content.decode()
    assert "403 Forbidden" not in denied.content.decode()
    failed = client.get("/loi/")
    assert failed.status_code == 500
    assert "Lỗi hệ thống" in failed.content.decode()
    assert "Traceback" not in failed.content.decode()


@override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=True)
def test_a_developer_may_ask_for_the_technical_pages(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_form_token_gets_the_vietnamese_403(people: People, debug: bool) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.unit_staff)
    with override_settings(DEBUG=debug):
        response = client.post("/dang-xuat/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không thực hiện được thao tác" in page and 'class="site-header"' in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
