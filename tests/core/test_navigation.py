"""The menu follows the permission module; the UI shell works per role and language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.context_processors import MENU, add_nav_item
from caicach.core.models import Notification
from tests.conftest import People

pytestmark = pytest.mark.django_db


def _menu(client: Client) -> dict[str, Any]:
    response = client.get(reverse("home"))
    return {item.key: item for item in response.context["nav_items"]}


def test_admin_sees_user_administration(client: Client, people: People) -> None:
    client.force_login(people.admin)
    menu = _menu(client)
    assert "user_list" in menu
    assert menu["user_list"].url == reverse("user_list")


def test_unit_staff_sees_neither_users_nor_audit(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    menu = _menu(client)
    assert "home" in menu
    assert "user_list" not in menu and "audit_search" not in menu
    assert reverse("user_list") not in client.get(reverse("home")).content.decode()


def test_items_whose_page_does_not_exist_yet_are_skipped(client: Client, people: People) -> None:
    add_nav_item("not_built_yet", "Chưa có", "", None)
    try:
        client.force_login(people.admin)
        assert "not_built_yet" not in _menu(client)
    finally:
        MENU[:] = [entry for entry in MENU if entry.url_name != "not_built_yet"]


def test_the_current_page_is_marked(client: Client, people: People) -> None:
    client.force_login(people.admin)
    html = client.get(reverse("user_list")).content.decode()
    assert f'href="{reverse("user_list")}" aria-current="page"' in html
    assert f'href="{reverse("home")}" aria-current="page"' not in html


def test_anonymous_pages_have_no_menu(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    assert response.context["nav_items"] == []
    assert "site-nav" not in response.content.decode()


def test_unread_count_shows_when_the_inbox_exists(client: Client, people: People) -> None:
    for i in range(3):
        Notification.objects.create(recipient=people.unit_staff, title=f"Tin {i}")
    client.force_login(people.unit_staff)
    menu = _menu(client)
    assert menu["inbox"].count == 3
    assert "3</span>" in client.get(reverse("home")).content.decode()  # the badge in the menu
    assert client.get(reverse("home")).context["unread"] == 3


def test_the_shell_has_a_skip_link_logout_form_and_local_htmx(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    html = client.get(reverse("home")).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert f'action="{reverse("logout")}"' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN in <head>


def test_pages_are_vietnamese_by_default(client: Client, db: None) -> None:
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html


def test_language_switch_to_english_shows_english_text(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html and "Đăng xuất" not in html
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()


def test_pagination_keeps_the_filters(client: Client, people: People, org: Any) -> None:
    from tests.core.factories import person

    for i in range(30):
        person(f"pg{i:02d}", org.science, full_name=f"Trần Phân Trang {i:02d}")
    client.force_login(people.admin)
    html = client.get(reverse("user_list"), {"q": "phan trang"}).content.decode()
    assert "q=phan+trang&amp;page=2" in html
