"""The picker of several units: a select for a province; past the threshold a text box of one
unit a line, beside a search box whose suggestions the server sends."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from caicach.core.models import Unit, UnitKind
from caicach.core.units import forms as unit_forms
from caicach.core.units.forms import UnitChoiceField, UnitMultipleChoiceField, UnitSelectMultiple
from tests.conftest import Org, People

AMBIGUOUS = "Có nhiều đơn vị khớp với: %s. Hãy ghi mã đơn vị hoặc chọn trong danh sách gợi ý."
UNKNOWN = "Không tìm thấy đơn vị (trong các đơn vị được phép chọn) khớp với: %s."


@pytest.fixture
def country(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    """More units than a select holds (the organisation has eight)."""
    monkeypatch.setattr(unit_forms, "LOOKUP_THRESHOLD", 3)


def field(queryset: Any = None, *, required: bool = False) -> UnitMultipleChoiceField:
    units = Unit.objects.order_by("code") if queryset is None else queryset
    return UnitMultipleChoiceField(queryset=units, required=required)


class UnitsForm(forms.Form):
    units = UnitMultipleChoiceField(queryset=Unit.objects.order_by("code"), required=False)


def render(value: Any) -> str:
    widget = field().widget
    assert isinstance(widget, UnitSelectMultiple)
    return str(widget.render("units", value, {"id": "id_units"}))


def refusal(picker: UnitMultipleChoiceField, value: Any) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        picker.clean(value)
    return refused.value.messages


def test_a_provinces_units_stay_a_select_explained_under_it(org: Org) -> None:
    html = render([org.commune.pk, org.office.pk])
    assert html.startswith("<select") and "<textarea" not in html
    assert html.count("<option") == 8 and html.count(" selected>") == 2
    assert f'<option value="{org.commune.pk}" selected>XHT — Ủy ban nhân dân xã Hảo Đước</option>' in html
    assert 'aria-describedby="id_units_hint"' in html.split(">")[0] and " multiple>" in html
    assertInHTML(
        '<div class="helptext" id="id_units_hint">'
        "Giữ phím Ctrl (Cmd trên máy Mac) để chọn hoặc bỏ chọn nhiều đơn vị.</div>",
        html,
    )


def test_a_countrys_units_become_a_text_box_of_one_unit_a_line(
    country: None, org: Org, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # too many units for a select; the chosen ones' names
        html = render([org.commune.pk, org.home_affairs.pk])
    assert html.startswith("<textarea")
    assertInHTML(
        '<textarea name="units" id="id_units" rows="8" aria-describedby="id_units_hint">'
        "XHT — Ủy ban nhân dân xã Hảo Đước\nSNV — Sở Nội vụ</textarea>",
        html,
    )
    assert ">\nXHT — Ủy ban nhân dân xã Hảo Đước\nSNV — Sở Nội vụ</textarea>" in html
    assert "<select" not in html and "<option" not in html and "Ctrl" not in html
    assert "Mỗi dòng một đơn vị, ghi mã hoặc tên đơn vị." in html


def test_the_search_box_beside_it_gets_its_suggestions_from_the_server(
    client: Client, country: None, org: Org, people: People
) -> None:
    html = render([])
    url = reverse("unit_suggestions")
    assertInHTML(
        f'<input type="search" name="units_lookup" id="id_units_lookup" list="id_units-suggestions"'
        ' autocomplete="off" placeholder="Gõ mã hoặc tên đơn vị…" aria-label="Tìm đơn vị"'
        f' aria-describedby="id_units_hint" hx-get="{url}?field=units_lookup"'
        ' hx-trigger="input changed delay:300ms" hx-target="#id_units-suggestions" hx-swap="innerHTML">'
        '<datalist id="id_units-suggestions"></datalist>',
        html,
    )
    assert ">\n</textarea>" in html  # nothing chosen yet
    client.force_login(people.unit_staff)
    body = client.get(url, {"field": "units_lookup", "units_lookup": "hảo đước"}).content.decode()
    assert body == '<option value="XHT — Ủy ban nhân dân xã Hảo Đước"></option>'


def test_it_reads_codes_labels_and_unique_names_one_a_line(country: None, org: Org) -> None:
    chosen = field().clean("xht\r\nSNV — Sở Nội vụ;  Khoa học và Công nghệ \n\n")
    assert list(chosen) == [org.science, org.home_affairs, org.commune]  # the field's order


def test_it_reads_the_ids_a_select_posts(org: Org) -> None:
    assert list(field().clean([str(org.office.pk), str(org.commune.pk)])) == [org.office, org.commune]


def test_a_unit_named_twice_counts_once(country: None, org: Org) -> None:
    chosen = field().clean(f"XHT\nxht\nHảo Đước\nXHT — Ủy ban nhân dân xã Hảo Đước\n{org.commune.pk}")
    assert list(chosen) == [org.commune]


def test_an_empty_box_chooses_no_unit_unless_one_is_required(country: None, org: Org) -> None:
    assert list(field().clean(" \n ; \n")) == []
    assert list(field().clean([])) == []
    assert refusal(field(required=True), "\n") == ["Trường này là bắt buộc."]


def test_unknown_and_ambiguous_lines_are_listed_in_one_error(country: None, org: Org) -> None:
    messages = refusal(field(), "XHT\nHà Giang\nỦy ban nhân dân xã\nQQQ-99")
    assert messages == [UNKNOWN % "“Hà Giang”, “QQQ-99”", AMBIGUOUS % "“Ủy ban nhân dân xã”"]


def test_a_long_list_of_unknown_lines_names_the_first_ten(country: None) -> None:
    messages = refusal(field(), "\n".join(f"QQQ-{n:02d}" for n in range(12)))
    listed = ", ".join(f"“QQQ-{n:02d}”" for n in range(10))
    assert messages == [UNKNOWN % f"{listed} và 2 dòng khác"]


def test_a_unit_outside_the_fields_units_is_refused(country: None, org: Org) -> None:
    picker = field(Unit.objects.exclude(pk=org.commune.pk).order_by("code"))
    assert refusal(picker, "SNV\nXHT — Ủy ban nhân dân xã Hảo Đước") == [
        UNKNOWN % "“XHT — Ủy ban nhân dân xã Hảo Đước”"
    ]
    assert refusal(picker, [str(org.commune.pk)]) == [UNKNOWN % f"“{org.commune.pk}”"]


def test_a_code_and_name_not_offered_is_not_taken_for_a_neighbour(org: Org) -> None:
    # On PostgreSQL the fuzzy name search finds "xã Thanh Điền" close to "xã Hảo Đước".
    offered = Unit.objects.exclude(pk=org.commune.pk).order_by("code")
    with pytest.raises(ValidationError):
        UnitChoiceField(queryset=offered).clean("XHT — Ủy ban nhân dân xã Hảo Đước")
    assert refusal(field(offered), "XHT — Ủy ban nhân dân xã Hảo Đước") == [
        UNKNOWN % "“XHT — Ủy ban nhân dân xã Hảo Đước”"
    ]


def test_a_thousand_codes_take_one_query(org: Org, django_assert_num_queries: Any) -> None:
    Unit.objects.bulk_create(
        Unit(code=f"X{n:04d}", name=f"Xã Số {n}", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)
        for n in range(1000)
    )
    typed = "\n".join(f"x{n:04d} — Xã Số {n}" for n in range(1000))
    with django_assert_num_queries(2):  # the codes, then the units chosen
        assert len(field().clean(typed)) == 1000


def test_names_are_searched_for_a_bounded_number_of_lines(
    country: None, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unit_forms, "NAME_LINES_MAX", 2)
    messages = refusal(field(), "Sở Nội vụ\nHảo Đước\nThanh Điền\nVP")
    assert messages == ["Mỗi lần lưu chỉ tìm theo tên được 2 dòng; hãy ghi mã đơn vị cho: “Thanh Điền”."]


def test_a_refused_box_shows_back_exactly_what_was_typed(country: None, org: Org) -> None:
    typed = 'XHT\r\n  Hà Giang <b>"x"</b>\r\n\r\nSNV; VP\r\n'
    form = UnitsForm({"units": typed})
    assert not form.is_valid()
    assert form.errors["units"] == [UNKNOWN % '“Hà Giang <b>"x"</b>”']
    html = str(form["units"])
    assert f'rows="8">\n{escape(typed)}</textarea>' in html
    assert 'aria-describedby="id_units_error id_units_hint" aria-invalid="true"' in html
