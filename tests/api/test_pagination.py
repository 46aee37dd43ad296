"""The API's cursor pages (caicach.api.pagination.page_of): newest first, each row once, and
on PostgreSQL the same rows whichever way a page is found — walking the table's newest rows
(a wide scope) or sorting the caller's own below them (a narrow one)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from caicach.api import pagination
from caicach.api.pagination import PageParams, items_of, page_of
from caicach.core import clock
from caicach.core.models import Unit, UnitKind
from tests.conftest import on_day


def _walk(rows: QuerySet[Unit], limit: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        shown, cursor = page_of(rows, PageParams(limit=limit, cursor=cursor))
        pages.append([unit.pk for unit in shown])
        if cursor is None:
            return pages


@pytest.fixture
def units(db: None) -> list[int]:
    made = Unit.objects.bulk_create(
        [Unit(code=f"P{i:02}", name=f"Phòng {i}", kind=UnitKind.DEPARTMENT) for i in range(14)]
    )
    return sorted((unit.pk for unit in made), reverse=True)  # newest first


@pytest.mark.parametrize("window", [4, 1000], ids=["past the window", "within it"])
@pytest.mark.parametrize(
    "chosen",
    [
        pytest.param(lambda ids: ids, id="every row"),
        pytest.param(lambda ids: ids[9:], id="the oldest only"),
        pytest.param(lambda ids: ids[::3], id="spread"),
        pytest.param(lambda ids: ids[:2] + ids[10:], id="newest and oldest"),
    ],
)
def test_pages_hold_each_row_once_newest_first(
    units: list[int], monkeypatch: pytest.MonkeyPatch, window: int, chosen: object
) -> None:
    monkeypatch.setattr(pagination, "WALK_WINDOW", window)
    wanted = chosen(units)  # type: ignore[operator]
    rows = Unit.objects.filter(pk__in=wanted)
    pages = _walk(rows, 3)
    assert [pk for page in pages for pk in page] == wanted
    assert all(len(page) == 3 for page in pages[:-1])


def test_an_empty_list_is_one_empty_page(units: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "WALK_WINDOW", 4)
    assert _walk(Unit.objects.none(), 3) == [[]]


def test_a_pages_keys_are_kept_until_a_write_to_the_table(
    units: list[int], monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """On PostgreSQL an integration polling a list reads only the page's rows by key while
    nothing was written; a new row shows on the next call. SQLite asks for the page at once."""
    monkeypatch.setattr(pagination, "WALK_WINDOW", 4)
    rows = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    first, _cursor = page_of(rows, PageParams(limit=3, cursor=None))
    assert [unit.pk for unit in first] == units[:3]
    with django_assert_num_queries(1):
        again, _cursor = page_of(rows, PageParams(limit=3, cursor=None))
    assert again == first
    newest = Unit.objects.create(code="P99", name="Phòng mới", kind=UnitKind.DEPARTMENT)
    shown, _cursor = page_of(rows, PageParams(limit=3, cursor=None))
    assert [unit.pk for unit in shown] == [newest.pk, *units[:2]]


def _shown(unit: Unit) -> tuple[int, str]:
    return (unit.pk, unit.name)


def test_items_are_the_pages_rows_as_shown_kept_by_their_keys_until_a_write(
    units: list[int], monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """``items_of`` walks the same pages as ``page_of`` and shows each row as ``item`` does;
    a second call reads only the keys (SQLite) or nothing (PostgreSQL, keys kept too); a
    row renamed since shows renamed, and another scope's page is its own."""
    monkeypatch.setattr(pagination, "WALK_WINDOW", 4)
    rows = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    pages, cursor = [], None
    while True:
        items, cursor = items_of(rows, PageParams(limit=3, cursor=cursor), _shown)
        pages.append(items)
        if cursor is None:
            break
    assert [pk for page in pages for pk, _name in page] == units
    assert pages[0] == [_shown(unit) for unit in page_of(rows, PageParams(limit=3, cursor=None))[0]]
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else 1):
        again, _cursor = items_of(rows, PageParams(limit=3, cursor=None), _shown)
    assert again == pages[0]
    Unit.objects.filter(pk=units[1]).update(name="Phòng đổi tên")
    assert items_of(rows, PageParams(limit=3, cursor=None), _shown)[0][1] == (units[1], "Phòng đổi tên")
    narrow = rows.filter(pk__in=units[5:])
    assert items_of(narrow, PageParams(limit=3, cursor=None), _shown)[0] == [
        _shown(unit) for unit in Unit.objects.filter(pk__in=units[5:8]).order_by("-pk")
    ]


def test_a_schema_shows_a_row_by_its_fields(units: list[int]) -> None:
    from caicach.api.routers.core import UnitOut

    rows = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    items, _cursor = items_of(rows, PageParams(limit=2, cursor=None), UnitOut)
    assert items == [
        UnitOut.model_validate(Unit.objects.get(pk=pk), from_attributes=True) for pk in units[:2]
    ]


def test_items_are_made_anew_on_another_day(units: list[int]) -> None:
    """An item may tell whether a deadline has passed (a task's timeliness): another day's
    page is made again, not the day before's."""
    made: list[datetime.date] = []

    def dated(unit: Unit) -> tuple[int, datetime.date]:
        made.append(clock.today())
        return (unit.pk, clock.today())

    rows = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    monday, tuesday = datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)
    with on_day(monday):
        assert items_of(rows, PageParams(limit=2, cursor=None), dated)[0] == [
            (pk, monday) for pk in units[:2]
        ]
        items_of(rows, PageParams(limit=2, cursor=None), dated)
    assert made == [monday, monday]
    with on_day(tuesday):
        assert items_of(rows, PageParams(limit=2, cursor=None), dated)[0] == [
            (pk, tuesday) for pk in units[:2]
        ]
