"""The API's cursor pages (caicach.api.pagination.page_of): newest first, each row once, and
on PostgreSQL the same rows whichever way a page is found — walking the table's newest rows
(a wide scope) or sorting the caller's own below them (a narrow one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from caicach.api import pagination
from caicach.api.pagination import PageParams, page_of
from caicach.core.models import Unit, UnitKind


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
