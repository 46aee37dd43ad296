"""The unit picker: a select for a province, a text box with suggestions for a country."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import Unit, UnitKind
from caicach.core.units.forms import LOOKUP_THRESHOLD, UnitChoiceField, UnitSelect
from tests.conftest import Org, People


@pytest.fixture
def country(org: Org) -> None:
    Unit.objects.bulk_create(
        Unit(
            code=f"X{n:04d}",
            name=f"Ủy ban nhân dân xã Số {n}",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=org.province,
            search_text=f"x{n:04d} uy ban nhan dan xa so {n}",
        )
        for n in range(LOOKUP_THRESHOLD + 5)
    )


def field() -> UnitChoiceField:
    return UnitChoiceField(queryset=Unit.objects.order_by("code"), required=False)


def render(value: Any, attrs: dict[str, Any] | None = None) -> str:
    widget = field().widget
    assert isinstance(widget, UnitSelect)
    return str(widget.render("unit", value, attrs))


def test_a_provinces_units_stay_a_select(org: Org) -> None:
    html = render(org.commune.pk)
    assert html.startswith("<select") and f'<option value="{org.commune.pk}" selected>' in html


def test_a_countrys_units_become_a_text_box_with_suggestions(country: None, org: Org) -> None:
    html = render(org.commune.pk, {"id": "id_unit"})
    assert html.startswith("<input") and "<option" not in html and len(html) < 1000
    assert 'value="XHT — Ủy ban nhân dân xã Hảo Đước"' in html  # the chosen unit, readable
    assert f'hx-get="{reverse("unit_suggestions")}?field=unit"' in html
    assert 'list="id_unit-suggestions"' in html and '<datalist id="id_unit-suggestions">' in html


def test_the_text_box_reads_a_code_a_label_or_a_unique_name(country: None, org: Org) -> None:
    picker = field()
    assert picker.clean("xht") == org.commune
    assert picker.clean("X0007 — Ủy ban nhân dân xã Số 7") == Unit.objects.get(code="X0007")
    assert picker.clean("Hảo Đước") == org.commune
    assert picker.clean(str(org.commune.pk)) == org.commune  # what the select posts
    assert picker.clean("") is None


@pytest.mark.parametrize(
    ("typed", "message"), [("xã Số", "Có nhiều đơn vị khớp"), ("Hà Giang", "Không tìm thấy")]
)
def test_an_ambiguous_or_unknown_text_is_explained(country: None, typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        field().clean(typed)
    assert message in " ".join(refused.value.messages)


def test_a_unit_outside_the_fields_units_is_not_found(country: None, org: Org) -> None:
    picker = UnitChoiceField(queryset=Unit.objects.exclude(pk=org.commune.pk), required=False)
    with pytest.raises(ValidationError):
        picker.clean("XHT")


def test_suggestions_are_twenty_units_best_first_for_signed_in_users(
    client: Client, country: None, people: People, django_assert_max_num_queries: Any
) -> None:
    url = reverse("unit_suggestions")
    assert client.get(url, {"field": "unit", "unit": "xa so"}).status_code == 302  # to the sign-in page
    client.force_login(people.unit_staff)
    with django_assert_max_num_queries(
        7
    ):  # session, user, memberships…, one search (+ PostgreSQL: "anything?")
        body = client.get(url, {"field": "unit", "unit": "xã số"}).content.decode()
    assert body.count("<option") == 20
    body = client.get(url, {"field": "unit", "unit": "xã Số 12"}).content.decode()
    assert body.startswith('<option value="X0012 — Ủy ban nhân dân xã Số 12">')
    assert body.count("<option") == 11  # 12 and 120 to 129: words that start with 12
    assert client.get(url, {"field": "unit", "unit": "   "}).content == b""
