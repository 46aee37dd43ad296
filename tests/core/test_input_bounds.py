"""Every number and date a form takes has bounds: plausible dates per kind (an issue date near
today, a birth date 16 to 100 years back…) and integers within their column, refused with a
Vietnamese message by the form and by the service alike."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import caicach
from caicach.core import chronology
from caicach.core.accounts.queries import user_fingerprint
from caicach.core.accounts.services import profile_update
from caicach.core.forms import INTEGER_MAX, BoundedIntegerField, VietnameseDateField, VietnameseDecimalField
from caicach.core.models import AuditEvent, RegisteredDocument, User
from caicach.workprogram.programs.forms import MonthField
from tests.conftest import Org, People, on_day
from tests.core.factories import PASSWORD, take_number

TODAY = datetime.date(2026, 12, 4)


# --- Spans ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "earliest", "latest"),
    [
        (chronology.ISSUED, datetime.date(2000, 1, 1), datetime.date(2027, 1, 3)),
        (chronology.PAST, datetime.date(2000, 1, 1), TODAY),
        (chronology.BIRTH, datetime.date(1926, 12, 4), datetime.date(2010, 12, 4)),
        (chronology.PLANNED, datetime.date(2021, 12, 4), datetime.date(2031, 12, 4)),
        (chronology.RECORDED, datetime.date(2000, 1, 1), datetime.date(2031, 12, 4)),
        (chronology.HISTORIC, datetime.date(1945, 9, 2), datetime.date(2031, 12, 4)),
    ],
)
def test_each_kind_of_date_spans_its_range_around_today(
    span: chronology.DateSpan, earliest: datetime.date, latest: datetime.date
) -> None:
    with on_day(TODAY):
        assert span.bounds() == (earliest, latest)
        assert span.problem(earliest, what="Ngày") is None
        assert span.problem(latest, what="Ngày") is None
        assert span.problem(earliest - datetime.timedelta(days=1), what="Ngày")
        assert span.problem(latest + datetime.timedelta(days=1), what="Ngày")


def test_the_spans_follow_the_settings(settings: object) -> None:
    settings.DATE_FLOOR_YEAR, settings.ISSUE_DATE_MAX_DAYS_AHEAD, settings.PLANNING_YEARS = 2010, 0, 2  # type: ignore[attr-defined]
    with on_day(TODAY):
        assert chronology.ISSUED.bounds() == (datetime.date(2010, 1, 1), TODAY)
        assert chronology.PLANNED.bounds() == (datetime.date(2024, 12, 4), datetime.date(2028, 12, 4))


def test_a_refused_date_names_both_ends_in_vietnamese() -> None:
    with on_day(TODAY):
        assert chronology.ISSUED.problem(datetime.date(9999, 12, 31), what="Ngày ban hành") == (
            "Ngày ban hành phải từ ngày 01/01/2000 đến ngày 03/01/2027."
        )
        with pytest.raises(ValidationError) as caught:
            chronology.require_within(datetime.date(1, 1, 1), chronology.PAST, what="Ngày", field="day")
    assert caught.value.message_dict == {"day": ["Ngày phải từ ngày 01/01/2000 đến ngày 04/12/2026."]}


# --- Fields ---------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    day = VietnameseDateField(label="Ngày ban hành", span=chronology.ISSUED)
    count = BoundedIntegerField(label="Số", min_value=0, max_value=100)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/12/9999", "Ngày ban hành phải từ ngày 01/01/2000 đến ngày 03/01/2027."),
        ("9999-12-31", "Ngày ban hành phải từ ngày 01/01/2000 đến ngày 03/01/2027."),
        ("01/01/0001", "Ngày ban hành phải từ ngày 01/01/2000 đến ngày 03/01/2027."),
        ("00/13/2024", "Ngày không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026."),
    ],
)
def test_the_date_field_refuses_absurd_dates(typed: str, message: str) -> None:
    with on_day(TODAY):
        form = PlanForm(data={"day": typed, "count": "1"})
        assert form.errors == {"day": [message]}
        assert PlanForm(data={"day": "04/12/2026", "count": "1"}).is_valid()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2147483648", "Vui lòng nhập một số không quá 100."),
        (str(10**20), "Vui lòng nhập một số không quá 100."),
        ("-1", "Vui lòng nhập một số từ 0 trở lên."),
        ("1e400", "Vui lòng nhập một số nguyên, ví dụ 12."),
        ("NaN", "Vui lòng nhập một số nguyên, ví dụ 12."),
    ],
)
def test_the_integer_field_refuses_numbers_out_of_range(typed: str, message: str) -> None:
    with on_day(TODAY):
        assert PlanForm(data={"day": "04/12/2026", "count": typed}).errors == {"count": [message]}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12/9999", "Tháng phải từ tháng 01/2000 đến tháng 12/2031."),
        ("01/1999", "Tháng phải từ tháng 01/2000 đến tháng 12/2031."),
        ("01/0000", "Tháng không hợp lệ. Vui lòng nhập theo dạng tháng/năm, ví dụ 03/2024."),
        ("13/2024", "Tháng không hợp lệ. Vui lòng nhập theo dạng tháng/năm, ví dụ 03/2024."),
    ],
)
def test_the_month_field_refuses_absurd_months(typed: str, message: str) -> None:
    field = MonthField(label="Tháng")
    with on_day(TODAY):
        assert field.clean("01/2000") == datetime.date(2000, 1, 1)
        assert field.clean("12/2031") == datetime.date(2031, 12, 1)
        with pytest.raises(ValidationError) as caught:
            field.clean(typed)
    assert caught.value.messages == [message]


def test_an_integer_field_cannot_be_built_without_both_bounds() -> None:
    with pytest.raises(TypeError):
        BoundedIntegerField(min_value=0)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        VietnameseDateField(label="Ngày")  # type: ignore[call-arg]


# --- Guard: no form of the product takes an unbounded number or date ------------------------------


def _product_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(caicach.__path__, "caicach."):
        if module.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    return [f for f in subclasses(forms.BaseForm) if f.__module__.startswith("caicach.")]


def test_every_number_and_date_field_of_the_product_is_bounded() -> None:
    checked = 0
    unbounded: list[str] = []
    for form in _product_forms():
        for name, field in getattr(form, "base_fields").items():  # noqa: B009 (stubs lack it)
            where = f"{form.__module__}.{form.__name__}.{name}"
            if isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.DecimalField | forms.FloatField
            ):
                # The edit version is compared, never stored nor looked up (caicach.core.versioning).
                if name == "version" and isinstance(field.widget, forms.HiddenInput):
                    continue
                checked += 1
                if not (
                    isinstance(field, BoundedIntegerField)
                    and field.min_value is not None
                    and field.max_value is not None
                    and -INTEGER_MAX <= field.min_value <= field.max_value <= INTEGER_MAX
                ):
                    unbounded.append(where)
            elif isinstance(field, forms.DecimalField):
                checked += 1
                if not (isinstance(field, VietnameseDecimalField) and field.max_digits):
                    unbounded.append(where)
            elif isinstance(field, forms.DateField | forms.DateTimeField) or field.widget.attrs.get(
                "placeholder"
            ) in ("dd/mm/yyyy", "mm/yyyy"):
                checked += 1
                spanned = isinstance(getattr(field, "span", None), chronology.DateSpan)
                if not spanned or isinstance(field, forms.DateTimeField):
                    unbounded.append(where)
    assert unbounded == []
    assert checked >= 30


def test_no_form_builds_an_integer_or_date_field_of_its_own() -> None:
    # Fields made at run time escape the walk above: read the source.
    root = Path(caicach.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "forms.py" or path.parent.name != "core"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"forms\.(IntegerField|DateField|DateTimeField|SplitDateTimeField)\(", line)
        and not re.match(r"\s*version = forms\.IntegerField\(", line)
    ]
    assert offenders == []


# --- Services -------------------------------------------------------------------------------------


def test_no_number_is_taken_for_a_document_dated_9999(org: Org) -> None:
    with pytest.raises(ValidationError, match="Ngày ban hành phải từ ngày 01/01/2000"):
        take_number(org.district, day=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError, match="Ngày ban hành phải từ ngày 01/01/2000"):
        take_number(org.district, day=datetime.date(1, 1, 1))
    assert not RegisteredDocument.objects.exists()


@pytest.mark.parametrize(
    "born", [datetime.date(1, 1, 1), datetime.date(2026, 12, 5), datetime.date(2015, 6, 1)]
)
def test_the_profile_refuses_an_implausible_birth_date(people: People, born: datetime.date) -> None:
    user = people.unit_staff
    with on_day(TODAY), pytest.raises(ValidationError) as caught:
        profile_update(user=user, data={"date_of_birth": born}, fingerprint=user_fingerprint(user))
    assert caught.value.message_dict == {
        "date_of_birth": ["Ngày sinh phải từ ngày 04/12/1926 đến ngày 04/12/2010."]
    }
    assert User.objects.get(pk=user.pk).date_of_birth is None
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_the_audit_search_answers_an_absurd_date_with_a_message(client: Client, people: People) -> None:
    assert client.login(username=people.admin.username, password=PASSWORD)
    for value in ("31/12/9999", "01/01/0001", "9999-12-31", "00/13/2024"):
        response = client.get(reverse("audit_search"), {"date_from": value, "date_to": value})
        assert response.status_code == 200, value
        assert response.context["form"].errors, value
