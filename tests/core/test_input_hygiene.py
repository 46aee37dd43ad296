"""NFC text, dd/mm/yyyy dates, and bad input that changes nothing."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, User
from caicach.core.once import FIELD, new_token
from tests.conftest import PASSWORD, Org, People

pytestmark = pytest.mark.django_db

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Văn Hưởng")


def _profile_data(client: Client, **changes: str) -> dict[str, str]:
    form = client.get(reverse("profile")).context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    data["date_of_birth"] = ""
    data.update(changes)
    return data


def test_a_decomposed_name_posted_to_the_profile_is_stored_composed(client: Client, people: People) -> None:
    assert unicodedata.normalize("NFC", DECOMPOSED) != DECOMPOSED
    client.force_login(people.unit_staff)
    client.post(reverse("profile"), _profile_data(client, full_name=DECOMPOSED))
    stored = User.objects.get(pk=people.unit_staff.pk).full_name
    assert stored == "Nguyễn Văn Hưởng"
    assert unicodedata.is_normalized("NFC", stored)


def test_an_impossible_date_gets_a_vietnamese_message_and_changes_nothing(
    client: Client, people: People
) -> None:
    client.force_login(people.unit_staff)
    before = User.objects.values().get(pk=people.unit_staff.pk)
    response = client.post(
        reverse("profile"), _profile_data(client, date_of_birth="31/02/2024", position="Mới")
    )
    assert response.status_code == 200
    assert "Ngày không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm" in response.content.decode()
    assert User.objects.values().get(pk=people.unit_staff.pk) == before
    assert not AuditEvent.objects.exists()


def test_dates_are_accepted_and_shown_as_dd_mm_yyyy(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    client.post(reverse("profile"), _profile_data(client, date_of_birth="09/03/1988"))
    assert User.objects.get(pk=people.unit_staff.pk).date_of_birth == datetime.date(1988, 3, 9)
    assert 'value="09/03/1988"' in client.get(reverse("profile")).content.decode()


def test_an_invalid_email_is_refused_in_vietnamese(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(reverse("profile"), _profile_data(client, email="khong-phai-email"))
    assert "thư điện tử hợp lệ" in response.content.decode().lower()


def test_admin_created_names_are_nfc(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    client.post(
        reverse("user_create"),
        {
            "username": "nfc",
            "full_name": DECOMPOSED,
            "position": unicodedata.normalize("NFD", "Phó Trưởng phòng"),
            "password1": "Mat-khau-ban-dau-2026",
            "password2": "Mat-khau-ban-dau-2026",
            FIELD: new_token(),
        },
    )
    created = User.objects.get(username="nfc")
    assert created.full_name == "Nguyễn Văn Hưởng"
    assert created.position == "Phó Trưởng phòng"


def test_a_decomposed_password_matches_the_composed_one(client: Client, people: People) -> None:
    composed = "Mật-khẩu-tiếng-Việt-2026"
    client.force_login(people.unit_staff)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": composed, "new_password2": composed},
    )
    client.logout()
    response = client.post(
        reverse("login"), {"username": "canbo", "password": unicodedata.normalize("NFD", composed)}
    )
    assert response.status_code == 302
