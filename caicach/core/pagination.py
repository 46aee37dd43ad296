"""Keyset ("seek") pagination for the long, append-mostly lists (the audit trail): the next
page starts after the last row shown, so page 400 costs what page 1 costs, and nothing
counts the whole table. The cursor travels in the query string as ``after``."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar, runtime_checkable

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from caicach.core.choices import kept, kept_while_read, reads_recorded
from caicach.core.permissions import scope_key
from caicach.core.planner import joins_as_written

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


def page_again(rows: list[T], number: int, count: int, per_page: int) -> Page[T]:
    """Page ``number`` of a list kept as plain values (``rows``, the page's own), made again
    from the list's ``count`` without a statement: what the page's links and summary read."""
    return Page(rows, number, Paginator(range(count), per_page))  # type: ignore[arg-type]


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


# How many rows a long list counts and pages through (see ``CappedPaginator``).
LIST_CAP = 10_000


@runtime_checkable
class KeyedRows(Protocol):
    """Rows that give a page's keys alone (``core.search.Tiered``, a search's tiers)."""

    def ids(self, start: int, stop: int) -> list[Any]: ...


class _Keyed(NamedTuple):
    """A row known by its key alone (``CappedPaginator``'s ``rows_of`` makes it shown)."""

    pk: Any


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Page numbers for a list that may hold hundreds of thousands of rows: counting stops
    after ``cap`` rows (the count reads at most ``cap + 1`` of them, not the whole filtered
    table), the summary says "more than …" and the pages go as far as the cap. Whoever
    needs a row further down narrows the filters or the search; the export takes them all."""

    def __init__(
        self,
        object_list: QuerySet[Any] | Any,
        per_page: int,
        *,
        cap: int = LIST_CAP,
        ordering: tuple[str, ...] = (),
        found: int | None = None,
        leading: tuple[str, Sequence[Any]] | None = None,
        rows_of: Callable[[list[Any]], list[Any]] | None = None,
    ) -> None:
        """``ordering``: the list's order (an index's, newest first say). Given, and the rows
        sparse among the newest of their table (``walkable``), the page sorts them instead of
        walking that index (``sorted_not_walked``). ``found``: the number of rows, when the
        page has counted them already (with other figures, in one statement). ``leading``:
        the field the list's order starts with and its values in that order (the cycles of
        a list of reports, newest first): past the cap, a page is sorted within the few
        values it spans (``leading_slice``). ``rows_of``: for a page read by key, its rows
        from its keys — the plain values a page shows, kept, say — instead of the model rows
        with their relations."""
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap
        self.ordering = ordering
        self.leading = leading
        self.rows_of = rows_of
        self._found: int | None = found

    def get_page(self, number: Any) -> Any:
        """The page ``number`` (the first or the last when there is no such page).

        A long list whose page is read by key (``ids_first``, ``leading_slice``) keeps its
        count, its sparseness probe and the page's keys as one value
        (``choices.kept_while_read``), under the list's own statement: each kept alone cost
        a compiled statement for its key and two reads of the cache on every visit."""
        rows = self.rows
        if self._found is None and isinstance(rows, QuerySet) and _read_by_key(rows):
            try:
                statement = (rows.db, *rows.query.sql_with_params())
            except EmptyResultSet:  # an empty scope: nothing to keep
                return self._shown(super().get_page(number))
            settings = (self.per_page, self.orphans, self.cap, self.ordering, self.leading)
            built: list[Page[Any]] = []  # the page itself, when it is built for this visit

            def build() -> tuple[int, int, list[Any] | None]:
                page = super(CappedPaginator, self).get_page(number)
                built.append(page)
                # None: a short list's page is sliced, not read by key, and keeps no keys
                # (unless its rows are made from its keys).
                by_key = isinstance(page.object_list, list) or self.rows_of is not None
                keys = [row.pk for row in page.object_list] if by_key else None
                return self._count_found(), page.number, keys

            found, number, keys = kept_while_read("page", (statement, settings, number), build)
            self._found = found
            if keys is not None and self.rows_of is not None:
                return Page(self.rows_of(keys), number, self)
            if built:
                return built[0]
            if keys is not None:
                return Page(rows_by_key(rows, keys), number, self)
        return self._shown(super().get_page(number))

    def _shown(self, page: Page[Any]) -> Page[Any]:
        """``page`` with the rows ``rows_of`` makes of its keys, if given."""
        if self.rows_of is None:
            return page
        return Page(self.rows_of([row.pk for row in page.object_list]), page.number, self)

    def page(self, number: Any) -> Any:
        rows: QuerySet[Any] = self.rows
        if self.ordering and not walkable(rows, self.ordering):
            self.object_list = rows.order_by(*sorted_not_walked(*self.ordering))
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # Below the cap, sorting every row costs what the cap allows; past it, a page sorts
        # only the rows of its leading values. (A province's 8,000 reports sorted in 16 ms;
        # the planner walked an index for their latest cycle's and took 35.)
        if self.leading is not None and self.capped:
            ordered: QuerySet[Any] = self.object_list  # type: ignore[assignment]
            found = leading_slice(ordered, *self.leading, bottom, top)
            if found is not None:
                return Page(found, number, self)
        if self.rows_of is not None and isinstance(self.object_list, KeyedRows):
            # A search whose rows are made from its keys: the keys alone, not the model rows
            # (a national officer's page of 25 dossiers read for nothing: 6 ms).
            keys = self.object_list.ids(bottom, top)
            return Page([_Keyed(key) for key in keys], number, self)
        return Page(ids_first(self.object_list, bottom, top, total=self.count), number, self)

    def _count_found(self) -> int:
        if self._found is None:
            # A tiered search (caicach.core.search.Tiered) counts its matches, all tiers at once.
            rows = getattr(self.rows, "matches", self.rows)
            counted = rows.order_by().values("pk")[: self.cap + 1]
            # Kept until a write to a table it reads commits: a province's 10,000 dossiers
            # cost 40 ms to count again on every page of the list.
            self._found = kept([counted], counted.count, "count")
        return self._found

    @property
    def found(self) -> int:
        """The rows counted (at most ``cap + 1``): what ``found=`` takes to make this
        paginator again without counting (a page kept as plain values)."""
        return self._count_found()

    @cached_property
    def count(self) -> int:
        return min(self._count_found(), self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than the pages reach."""
        return self._count_found() > self.cap


# Up to this many rows, sorting the wide joined rows costs less than a second query (886
# recognitions of a national campaign, each joined to its dossier, unit and decision: 20 ms
# to sort, against 1 ms for the page's rows by key).
WIDE_SORT_ROWS = 200


def list_key(name: str, user: Any, *parts: Any) -> Hashable:
    """A ``kept_page`` key: the list's ``name``, the reader's scope (``scope_key``: the person,
    their grants, the day) and what else the list's statement is made from (the filters, the
    object whose rows it lists, a setting read before), as plain values."""
    return (name, scope_key(user), _plain(parts))


def _plain(value: Any) -> Hashable:
    """``value`` with its model instances as their keys (a unit's ``repr`` is its name)."""
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__qualname__, tuple((f.name, _plain(getattr(value, f.name))) for f in fields))
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, QuerySet):
        raise TypeError("a list key names plain values, not a queryset")
    plain: Hashable = value
    return plain


def kept_page(
    key: Hashable,
    rows: Callable[[], QuerySet[Any] | KeyedRows],
    number: Any,
    *,
    per_page: int,
    rows_of: Callable[[list[Any]], list[Any]],
    cap: int | None = None,
    ordering: tuple[str, ...] = (),
    leading: tuple[str, Sequence[Any]] | None = None,
) -> Page[Any]:
    """Page ``number`` of the list ``rows()`` makes, its rows made from their keys by
    ``rows_of``: the count and the page's keys kept under ``key`` (``list_key``) until a
    write to a table read commits — read while the list is made too (a committee's setting,
    the working calendar), as the list is made only when they are not found.

    Why not under the list's statement, as ``CappedPaginator.get_page`` keeps them: making the
    list and compiling it for its key cost more than the page's queries (a national officer's
    tasks: the scope, each committee's "due soon" setting, 5 ms to compile). Under tests each
    key is checked to name one statement only (``_check_named``): a key that left out a
    filter or the reader's scope would show one reader's rows to another. ``cap``,
    ``ordering``, ``leading``: as ``CappedPaginator`` takes them (``cap``: ``LIST_CAP``)."""
    cap = LIST_CAP if cap is None else cap
    if settings.TESTING:
        _check_named(key, rows)

    def build() -> tuple[int, int, list[Any]]:
        paginator = CappedPaginator(
            rows(), per_page, cap=cap, ordering=ordering, leading=leading, rows_of=list
        )
        page = paginator.get_page(number)
        return paginator.found, page.number, list(page.object_list)

    settings_of_page = (per_page, cap, ordering, _plain(leading), str(number))
    found, shown, keys = kept_while_read("a named list's page", (key, settings_of_page), build)
    return Page(rows_of(keys), shown, CappedPaginator([], per_page, cap=cap, found=found))


# Each key named so far in this process, with what the rows read while being made, and the
# statement it named then (under tests only).
_NAMED: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[Any, ...]] = {}


def _check_named(key: Hashable, rows: Callable[[], QuerySet[Any] | KeyedRows]) -> None:
    """That ``key``, with the tables and versions read while making ``rows()`` unchanged,
    names one statement: a statement made from a row it read (a committee's setting) differs
    once that row is written, which renews the page kept too."""
    with reads_recorded() as read:
        made = rows()
        # A search's tiers: all their matches (whose plan reads how dense the rows are).
        matches: Any = getattr(made, "matches", made)
    try:
        statement: tuple[Any, ...] = (matches.db, *matches.query.sql_with_params())
    except EmptyResultSet:
        statement = (matches.db, "matches nothing")
    named = (repr(key), tuple(sorted(read.items())))
    seen = _NAMED.setdefault(named, statement)
    if seen != statement:
        raise ImproperlyConfigured(f"The list key {named[0]} names two statements: {seen} and {statement}")


def ids_first(rows: QuerySet[M] | Any, bottom: int, top: int, *, total: int) -> list[M] | Any:
    """Rows ``bottom`` to ``top`` of ``rows`` (``total`` of them): for a long queryset that
    joins its related rows (``select_related``), the page's primary keys first — sorted
    through the joins the filters and the order need, not the wide rows — and then those
    rows with their relations, by primary key. Sorting every wide joined row to keep 50 of
    them cost 0.7 s on a national officer's 126,000 adoption reports; sorting their keys
    0.1 s. One query more, so only past ``WIDE_SORT_ROWS``; a DISTINCT list or anything
    else is sliced as it is. The keys are kept (``caicach.core.choices.kept``)."""
    if not (isinstance(rows, QuerySet) and _read_by_key(rows)) or total <= WIDE_SORT_ROWS:
        return rows[bottom:top]
    # The keys are kept until a write to a table they read commits: sorting a province's
    # dossiers for a page cost 18 ms on every visit, reading 25 rows by key 1 ms.
    keys = rows.values_list("pk", flat=True)[bottom:top]
    return rows_by_key(rows, kept([keys], lambda: list(keys), "page keys"))


def _read_by_key(rows: QuerySet[Any]) -> bool:
    """Whether a page of ``rows`` may be read by key (``ids_first``): model rows joined to
    their relations, not DISTINCT."""
    return (
        bool(rows.query.select_related)
        and not rows.query.distinct
        and issubclass(rows._iterable_class, ModelIterable)
    )


def rows_by_key(rows: QuerySet[M], ids: list[Any]) -> list[M]:
    """The rows of ``rows`` with primary keys ``ids``, in that order, with their relations."""
    if not ids:
        return []
    with joins_as_written():  # the page's rows by key: their joins are key lookups
        by_pk = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class MarkupRow(NamedTuple):
    """A row of a list as the markup its template wrote (escaped), by key (``kept_rows``)."""

    pk: Any
    markup: SafeString


def kept_rows(
    purpose: str, ids: list[Any], write: Callable[[], Iterable[tuple[Any, str]]], *depends: Hashable
) -> list[MarkupRow]:
    """A page's rows written in Python once (``write``: each row's key and its ``<tr>``, every
    value escaped) and kept under the page's keys and what else they ``depend`` on (the day)
    until a write to a table they read commits. A list's template engine cost more than its
    queries at national scale (URLs, dates, labels per row); a row written so is the same to
    anyone who may see it, and who may is in the keys, which only the reader's scope found.
    Each ``rows`` module's test renders the template it replaces and compares."""

    def build() -> list[MarkupRow]:
        return [MarkupRow(pk, mark_safe(markup)) for pk, markup in write()]  # escaped by ``write``

    return kept_while_read(purpose, (tuple(ids), *depends), build)


def leading_slice(
    rows: QuerySet[M], field: str, values: Sequence[Any], bottom: int, top: int
) -> list[M] | None:
    """Rows ``bottom`` to ``top`` of ``rows``, whose order starts with ``field``, walking
    ``values`` (that field's values, in the order's direction) one at a time: rows of the
    values before the page are only counted, as far as the page's start, and the page's own
    are sorted within their value. A national officer's 126,000 adoption reports, sorted by
    cycle, directive and unit: 90 ms to sort them all for a page of 50, 3 ms to sort the
    latest cycle's. None when ``values`` do not reach the page (a value missing from the
    list): the caller sorts every row instead."""
    want = top - bottom
    skip = bottom
    ids: list[Any] = []
    for value in values:
        if len(ids) >= want:
            break
        bucket = rows.filter(**{field: value})
        if skip:
            before = bucket.order_by().values("pk")[:skip].count()
            if before < skip:  # the whole value comes before the page
                skip -= before
                continue
        ids += list(bucket.values_list("pk", flat=True)[skip : skip + want - len(ids)])
        skip = 0
    if len(ids) < want:
        return None
    return rows_by_key(rows, ids)


WALK_SAMPLE = 2000  # the newest rows of the table a probe reads
WALK_ENOUGH = 50  # of them in the list: a page of 25 within ~1,000 rows of the index


def walkable(rows: QuerySet[Any], ordering: tuple[str, ...]) -> bool:
    """Whether walking the index of ``ordering`` finds ``rows``' first page soon: at least
    ``WALK_ENOUGH`` of the ``WALK_SAMPLE`` first rows of the whole table, in that order,
    are in ``rows``. One query over at most ``WALK_SAMPLE`` rows, whatever the scope: the
    planner cannot tell (a scope's ids come from a subquery), and a count of ``rows`` built
    a bitmap of all of them (0.1 s for a national officer's 164,000 dossiers). Always True
    off PostgreSQL, whose plain order is kept."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return True
    first = rows.model._default_manager.order_by(*ordering).values("pk")[:WALK_SAMPLE]
    found = rows.order_by().filter(pk__in=first).values("pk")[:WALK_ENOUGH]
    return kept([found], lambda: found.count() >= WALK_ENOUGH, "walkable")


def sorted_not_walked(*ordering: str) -> list[Any]:
    """``ordering`` (names, "-" for descending), written so that PostgreSQL does not walk an
    index that has it. The planner walks the newest-first index of a whole table, filtering
    as it goes, expecting the rows of a scope to be spread evenly; when they are a few
    thousand older rows (a province's dossiers among 200,000) it read 52,000 rows for a
    page of 25. When ``walkable`` finds them sparse, reading them through the scope's
    indexes and sorting them costs what the scope holds instead. SQLite keeps the plain
    order."""
    from django.db import connection
    from django.db.models import F, Value
    from django.db.models.expressions import OrderBy

    if connection.vendor != "postgresql":
        return list(ordering)
    order: list[Any] = []
    for name in ordering:
        field = name.lstrip("-")
        field = "id" if field == "pk" else field
        # "+ 0" hides the column from the planner's index matching, not from the order.
        expression = F(field) + Value(datetime.timedelta(0) if field != "id" else 0)
        order.append(OrderBy(expression, descending=name.startswith("-")))
    return order
