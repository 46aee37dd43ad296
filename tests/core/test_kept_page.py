"""kept_page: a list's count and page keys found by a named key, without making the list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from caicach.core.models import Unit, UnitKind
from caicach.core.pagination import kept_page, list_key
from tests.conftest import People
from tests.core.factories import make_unit


def departments(n: int, prefix: str = "P") -> None:
    Unit.objects.bulk_create(
        [Unit(code=f"{prefix}{i:03}", name=f"Phòng {i}", kind=UnitKind.DEPARTMENT) for i in range(n)]
    )


def codes(keys: list[int]) -> list[str]:
    by_pk = dict(Unit.objects.filter(pk__in=keys).values_list("pk", "code"))
    return [by_pk[pk] for pk in keys]


class Made:
    """``rows`` for ``kept_page`` that counts how often the list was made."""

    def __init__(self, make: Callable[[], QuerySet[Unit]]) -> None:
        self.make, self.times = make, 0

    def __call__(self) -> QuerySet[Unit]:
        self.times += 1
        return self.make()


def test_a_named_page_is_found_without_making_its_list_until_a_write_renews_it(
    db: None, people: People, settings: Any
) -> None:
    settings.TESTING = False  # as served: no key check (which makes the list to compile it)
    departments(8)
    rows = Made(lambda: Unit.objects.filter(code__startswith="P").order_by("code"))
    key = list_key("units", people.reform_officer)
    first = kept_page(key, rows, "2", per_page=3, rows_of=codes)
    assert (first.object_list, first.number, first.paginator.count) == (["P003", "P004", "P005"], 2, 8)
    assert rows.times == 1
    again = kept_page(key, rows, "2", per_page=3, rows_of=codes)
    assert (again.object_list, again.paginator.num_pages, rows.times) == (["P003", "P004", "P005"], 3, 1)
    assert again.has_next() and again.start_index() == 4

    Unit.objects.create(code="P000A", name="Phòng mới", kind=UnitKind.DEPARTMENT)
    renewed = kept_page(key, rows, "2", per_page=3, rows_of=codes)
    assert (renewed.object_list, renewed.paginator.count, rows.times) == (["P002", "P003", "P004"], 9, 2)
    last = kept_page(key, rows, "99", per_page=3, rows_of=codes)  # past the end: the last page
    assert (last.number, last.object_list) == (3, ["P005", "P006", "P007"])


def test_a_page_is_kept_apart_for_each_reader_scope(db: None, people: People, settings: Any) -> None:
    settings.TESTING = False
    departments(4, "P")
    departments(2, "Q")

    def seen_by(reader: Any, prefix: str) -> list[str]:
        made = lambda: Unit.objects.filter(code__startswith=prefix).order_by("code")  # noqa: E731
        return list(kept_page(list_key("units", reader), made, None, per_page=10, rows_of=codes))

    officer, outsider = seen_by(people.reform_officer, "P"), seen_by(people.outsider, "Q")
    assert (officer, outsider) == (["P000", "P001", "P002", "P003"], ["Q000", "Q001"])


def test_under_tests_a_key_that_leaves_out_a_filter_fails(db: None, people: People) -> None:
    departments(3, "P")
    key = list_key("units", people.reform_officer)  # the prefix filtered on is not in it
    kept_page(key, lambda: Unit.objects.filter(code__startswith="P"), None, per_page=10, rows_of=codes)
    with pytest.raises(ImproperlyConfigured, match="names two statements"):
        kept_page(key, lambda: Unit.objects.filter(code__startswith="Q"), None, per_page=10, rows_of=codes)


def test_a_statement_made_from_a_row_it_read_may_change_with_that_row(db: None, people: People) -> None:
    """A list made from a setting it reads (a committee's "due soon" days) has a new
    statement once the setting is written: the write renews the kept page too, so the key
    still names one statement per state of what the list read."""
    departments(3, "P")
    setting = make_unit(code="SETTING", name="P")

    def made() -> QuerySet[Unit]:
        prefix = Unit.objects.get(pk=setting.pk).name
        return Unit.objects.filter(code__startswith=prefix).exclude(pk=setting.pk).order_by("code")

    key = list_key("units by a setting", people.reform_officer)
    assert kept_page(key, made, None, per_page=10, rows_of=codes).object_list == ["P000", "P001", "P002"]
    Unit.objects.filter(pk=setting.pk).update(name="P00")
    assert kept_page(key, made, None, per_page=10, rows_of=codes).object_list == ["P000", "P001", "P002"]
    Unit.objects.filter(pk=setting.pk).update(name="P001")
    assert kept_page(key, made, None, per_page=10, rows_of=codes).object_list == ["P001"]


def test_a_list_key_names_rows_by_their_keys_and_refuses_a_queryset(db: None, people: People) -> None:
    first, second = make_unit(name="Phòng Nội vụ"), make_unit(name="Phòng Nội vụ")
    day = datetime.date(2026, 12, 7)
    assert list_key("x", people.reform_officer, first, day) != list_key(
        "x", people.reform_officer, second, day
    )
    assert list_key("x", people.reform_officer, first) != list_key("x", people.outsider, first)
    assert list_key("x", people.reform_officer, [first]) == list_key("x", people.reform_officer, (first,))
    with pytest.raises(TypeError):
        list_key("x", people.reform_officer, Unit.objects.all())
