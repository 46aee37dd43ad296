"""Keyset ("seek") pagination for the long, append-mostly lists (the audit trail): the next
page starts after the last row shown, so page 400 costs what page 1 costs, and nothing
counts the whole table. The cursor travels in the query string as ``after``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    object_list: list[M]
    next_cursor: str  # "" on the last page
    is_first: bool

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)


def _cursor(row: models.Model, field: str) -> str:
    value = getattr(row, field)
    assert isinstance(value, datetime.datetime)
    return f"{value.isoformat()}~{row.pk}"


def _parse(cursor: str) -> tuple[datetime.datetime, int] | None:
    moment, _, pk = cursor.partition("~")
    try:
        return datetime.datetime.fromisoformat(moment), int(pk)
    except ValueError:
        return None  # a hand-edited or truncated link: start from the newest


def newest_first_page(
    queryset: QuerySet[M], after: str | None, size: int, field: str = "created_at"
) -> KeysetPage[M]:
    """The ``size`` rows of ``queryset`` after ``after``, newest first by ``field`` then
    primary key (an index on ``field`` serves it). One query: one row more than the page
    tells whether another page follows."""
    rows = queryset.order_by(f"-{field}", "-pk")
    start = _parse(after) if after else None
    if start is not None:
        moment, pk = start
        rows = rows.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
    found = list(rows[: size + 1])
    more = len(found) > size
    shown = found[:size]
    return KeysetPage(
        object_list=shown,
        next_cursor=_cursor(shown[-1], field) if more and shown else "",
        is_first=start is None,
    )


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Page numbers for a list that may hold hundreds of thousands of rows: counting stops
    after ``cap`` rows (the count reads at most ``cap + 1`` of them, not the whole filtered
    table), the summary says "more than …" and the pages go as far as the cap. Whoever
    needs a row further down narrows the filters or the search; the export takes them all."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int = 10_000) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap
        self._found: int | None = None

    def _count_found(self) -> int:
        if self._found is None:
            self._found = self.rows.order_by().values("pk")[: self.cap + 1].count()
        return self._found

    @cached_property
    def count(self) -> int:
        return min(self._count_found(), self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than the pages reach."""
        return self._count_found() > self.cap
