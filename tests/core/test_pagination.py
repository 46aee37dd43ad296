"""CappedPaginator: a list of a country's rows counts at most ``cap + 1`` of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caicach.core import choices, pagination
from caicach.core.models import Unit, UnitKind
from caicach.core.pagination import CappedPaginator


def units(n: int) -> None:
    Unit.objects.bulk_create(
        [Unit(code=f"P{i:03}", name=f"Phòng {i}", kind=UnitKind.DEPARTMENT) for i in range(n)]
    )


def test_under_the_cap_it_counts_and_pages_as_usual(db: None) -> None:
    units(12)
    paginator = CappedPaginator(Unit.objects.order_by("code"), 5, cap=20)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (12, 3, False)
    assert [u.code for u in paginator.get_page(3)] == ["P010", "P011"]


def test_past_the_cap_it_stops_counting_and_says_more(db: None, settings: Any) -> None:
    units(30)
    paginator = CappedPaginator(Unit.objects.order_by("code"), 5, cap=20)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (20, True, 4)
    assert len(ctx.captured_queries) == 1
    assert "LIMIT 21" in ctx.captured_queries[0]["sql"]
    page = paginator.get_page(99)  # past the cap: the last page it reaches
    assert page.number == 4 and [u.code for u in page][-1] == "P019"


def test_a_long_joined_list_sorts_its_keys_first_then_reads_the_page_rows_with_their_relations(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagination, "WIDE_SORT_ROWS", 6)  # seven rows: a long list
    province = Unit.objects.create(code="T01", name="Tỉnh", kind=UnitKind.PROVINCE_COMMITTEE)
    for i in range(7):
        Unit.objects.create(code=f"S{i}", name=f"Sở {6 - i}", kind=UnitKind.DEPARTMENT, parent=province)
    rows = Unit.objects.filter(parent=province).select_related("parent").order_by("name", "pk")
    paginator = CappedPaginator(rows, 3)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(2)
        assert [u.name for u in page] == ["Sở 3", "Sở 4", "Sở 5"]  # the list's order, not the keys'
        assert all(u.parent.code == "T01" for u in page)  # related rows came with the page
    keys, wide = ctx.captured_queries[1]["sql"], ctx.captured_queries[2]["sql"]
    assert len(ctx.captured_queries) == 3  # count, the page's keys, its rows
    assert "JOIN" not in keys and "ORDER BY" in keys and "LIMIT 3 OFFSET 3" in keys
    assert "JOIN" in wide and "ORDER BY" not in wide


@pytest.mark.parametrize("long", [True, False], ids=["long, no joins", "joined, short"])
def test_other_lists_are_sliced_in_one_query(db: None, monkeypatch: pytest.MonkeyPatch, long: bool) -> None:
    monkeypatch.setattr(pagination, "WIDE_SORT_ROWS", 3 if long else 1000)
    units(4)
    rows = Unit.objects.order_by("code")
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(rows if long else rows.select_related("parent"), 3).get_page(2)
        assert [u.code for u in page] == ["P003"]
    assert len(ctx.captured_queries) == 2  # count, the page


def test_a_long_lists_count_and_page_keys_are_kept_until_a_write_to_its_table(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting and sorting a scope's rows again for every visit cost a province's dossier
    list 60 ms: both are kept (``caicach.core.choices.kept``); a second visit reads only the
    page's rows by key, and a write to the table shows on the next one."""
    monkeypatch.setattr(pagination, "WIDE_SORT_ROWS", 3)
    units(8)
    rows = Unit.objects.select_related("parent").order_by("code")
    assert [u.code for u in CappedPaginator(rows, 3).get_page(2)] == ["P003", "P004", "P005"]
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(rows, 3).get_page(2)
        assert [u.code for u in page] == ["P003", "P004", "P005"]
        assert page.paginator.count == 8
    (by_key,) = [query["sql"] for query in ctx.captured_queries]
    assert "COUNT" not in by_key and "LIMIT" not in by_key and " IN (" in by_key

    Unit.objects.create(code="P000A", name="Phòng mới", kind=UnitKind.DEPARTMENT)
    page = CappedPaginator(rows, 3).get_page(2)
    assert (page.paginator.count, [u.code for u in page]) == (9, ["P002", "P003", "P004"])


def test_a_long_lists_page_is_kept_as_one_value_and_a_page_number_out_of_range_too(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count, the sparseness probe and the page's keys are one kept value: a visit that
    finds it asks no kept figure one by one (each cost a compiled statement and two reads of
    the cache). A page past the end is the last page, kept as such."""
    monkeypatch.setattr(pagination, "WIDE_SORT_ROWS", 3)
    units(8)
    rows = Unit.objects.select_related("parent").order_by("code")
    asked: list[str] = []
    kept = choices.kept

    def counting(querysets: Any, build: Any, purpose: str, **kwargs: Any) -> Any:
        asked.append(purpose)
        return kept(querysets, build, purpose, **kwargs)

    monkeypatch.setattr(pagination, "kept", counting)
    first = CappedPaginator(rows, 3).get_page(2)
    assert asked == ["count", "page keys"]
    asked.clear()
    again = CappedPaginator(rows, 3).get_page(2)
    assert asked == []
    assert [u.code for u in again] == [u.code for u in first] == ["P003", "P004", "P005"]
    assert (again.number, again.paginator.count, again.paginator.num_pages) == (2, 8, 3)
    for _visit in range(2):
        last = CappedPaginator(rows, 3).get_page(99)
        assert (last.number, [u.code for u in last]) == (3, ["P006", "P007"])


@pytest.mark.parametrize("wide_sort_rows", [3, 1000], ids=["long", "short"])
def test_a_page_made_of_its_keys_is_made_the_same_way_on_every_path(
    db: None, monkeypatch: pytest.MonkeyPatch, wide_sort_rows: int
) -> None:
    """``rows_of``: the page's rows are what it makes of the page's keys, in the list's
    order, for a long list read by key (first visit and kept), a short one sliced, and a
    list whose rows are not read by key; a kept visit reads no table at all."""
    monkeypatch.setattr(pagination, "WIDE_SORT_ROWS", wide_sort_rows)
    units(8)
    made: list[list[int]] = []

    def codes(keys: list[int]) -> list[str]:
        made.append(keys)
        by_pk = Unit.objects.in_bulk(keys)
        return ["#" + by_pk[key].code for key in keys]

    expected = ["#P003", "#P004", "#P005"]
    joined = Unit.objects.select_related("parent").order_by("code")
    assert list(CappedPaginator(joined, 3, rows_of=codes).get_page(2)) == expected
    with CaptureQueriesContext(connection) as ctx:
        again = CappedPaginator(joined, 3, rows_of=lambda keys: [f"#{pk}" for pk in keys]).get_page(2)
    assert len(ctx.captured_queries) == 0 and len(list(again)) == 3 and again.paginator.count == 8
    assert list(CappedPaginator(Unit.objects.order_by("code"), 3, rows_of=codes).get_page(2)) == expected
    assert list(CappedPaginator(Unit.objects.none(), 3, rows_of=codes).get_page(1)) == []
    assert made[0] == made[1] == list(Unit.objects.order_by("code").values_list("pk", flat=True)[3:6])


# --- Sorting a page within its leading values -----------------------------------------------------


def kinds_and_units() -> tuple[Any, list[str]]:
    """Units of three kinds, ordered by kind (descending) then code: kind leads the order."""
    kinds = [UnitKind.PROVINCE_COMMITTEE, UnitKind.DEPARTMENT, UnitKind.COMMUNE_COMMITTEE]
    Unit.objects.bulk_create(
        [Unit(code=f"U{i:02}", name=f"Đơn vị {i}", kind=kinds[i % 3]) for i in range(17)]
    )
    rows = Unit.objects.order_by("-kind", "code")
    return rows, sorted({str(kind) for kind in kinds}, reverse=True)


def test_every_slice_by_leading_values_is_the_plain_slice(db: None) -> None:
    rows, values = kinds_and_units()
    plain = list(rows)
    for bottom in range(18):
        for top in range(bottom, 18):
            found = pagination.leading_slice(rows, "kind", values, bottom, top)
            assert found == plain[bottom:top], (bottom, top)


def test_a_leading_value_left_out_gives_up_rather_than_skip_its_rows(db: None) -> None:
    rows, values = kinds_and_units()
    assert pagination.leading_slice(rows, "kind", values[:2], 10, 15) is None
    assert pagination.leading_slice(rows, "kind", values[:2], 0, 5) == list(rows[:5])


def test_past_the_cap_the_paginator_pages_by_leading_values_and_falls_back_when_they_fall_short(
    db: None,
) -> None:
    rows, values = kinds_and_units()
    plain = CappedPaginator(rows, 4, cap=10)
    for leading in (("kind", values), ("kind", values[:1])):
        paginator = CappedPaginator(rows, 4, cap=10, leading=leading)
        assert paginator.capped
        for number in (1, 2, 3):
            assert list(paginator.get_page(number)) == list(plain.get_page(number)), (leading, number)
    with CaptureQueriesContext(connection) as ctx:
        first = CappedPaginator(rows, 4, cap=10, leading=("kind", values)).get_page(1)
        assert len(list(first)) == 4
    # The count is kept from the pages above; the page's keys are the first value's rows only.
    (bucket,) = [query["sql"] for query in ctx.captured_queries if "LIMIT" in query["sql"]]
    assert "LIMIT 4" in bucket and "OFFSET" not in bucket and "COUNT" not in bucket
