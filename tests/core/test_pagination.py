"""CappedPaginator: a list of a country's rows counts at most ``cap + 1`` of them."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

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
