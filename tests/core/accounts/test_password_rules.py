"""Password rules: nothing built from the product's, the province's or the person's own
names, and nothing from the breached-password list Django ships."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.accounts.validators import LocalNamePasswordValidator, forbidden_names
from caicach.core.models import User
from tests.conftest import PASSWORD, People

pytestmark = pytest.mark.django_db


def refusals(password: str, user: User | None = None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return [error.code or "" for error in exc.error_list]
    return []


@pytest.mark.parametrize(
    "password",
    [
        "caicach2026",
        "CaiCach@2026",
        "Cải Cách 2026!",
        "c@1c@ch-2o26",
        "matkhau-caicach",
        "TayNinh@2026x",
        "Tây Ninh 123456",
        "t4yn1nh-2026-ok",
    ],
)
def test_passwords_built_from_the_product_or_the_province_are_refused(password: str, people: People) -> None:
    assert "password_contains_local_name" in refusals(password, people.unit_staff)


def test_the_persons_own_commune_and_username_are_refused(people: People) -> None:
    commune_staff = people.outsider  # works for the commune of Thanh Điền
    assert "password_contains_local_name" in refusals("ThanhDien#2026", commune_staff)
    # Another commune's name is not among the first guesses against this person.
    assert "password_contains_local_name" not in refusals("ChauThanh#2026", commune_staff)
    assert "password_contains_local_name" in refusals("xx-nguoingoai-2026", commune_staff)


def test_a_password_free_of_those_names_passes(people: People) -> None:
    assert refusals("hoa-sen-nở-tháng-năm", people.unit_staff) == []


def test_the_breached_password_list_is_checked() -> None:
    # Django's CommonPasswordValidator: 20,000 passwords from breached-password corpora,
    # bundled with Django (no network at validation time).
    assert "password_too_common" in refusals("password1234")
    with pytest.raises(ValidationError) as raised:
        password_validation.validate_password("password1234")
    assert "Mật khẩu này quá phổ biến." in raised.value.messages


def test_the_names_come_from_the_units_table(people: People) -> None:
    names = forbidden_names(people.outsider)
    assert {"caicach", "tayninh", "thanhdien", "nguoingoai"} <= set(names)
    assert "chauthanh" not in names  # a district under the province, not this person's


def test_the_message_is_vietnamese() -> None:
    with pytest.raises(ValidationError) as raised:
        LocalNamePasswordValidator().validate("caicach2026")
    assert "tên phần mềm" in raised.value.messages[0]
    assert "cải cách" in LocalNamePasswordValidator().get_help_text()


def test_changing_ones_password_to_the_product_name_is_refused(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "caicach2026", "new_password2": "caicach2026"},
    )
    assert response.status_code == 200
    assert "tên phần mềm" in response.content.decode()
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.check_password(PASSWORD)
