"""Error pages speak Vietnamese, in the site's layout, and a 404 never tells whether the
object exists."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from tests.conftest import People

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
