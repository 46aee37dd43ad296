"""Vietnamese by default; English only when the user picks it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import People


def test_an_english_browser_still_gets_vietnamese(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_the_language_switch_turns_the_interface_english_and_back(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(reverse("home"))
    assert english["Content-Language"] == "en"
    assert "Log out" in english.content.decode()

    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("login"))["Content-Language"] == "vi"
