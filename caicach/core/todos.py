"""The home page's to-do list: what is waiting for this person, kind by kind (dossiers to
confirm, requests to decide, reports due...), each a count, the first few rows and a link
to the page where the work is done.

Core knows no domain app: each app registers its providers with ``register_todo_provider``
from ``AppConfig.ready``. A provider is a read query of the app (its ``queries.py``) built on
the app's rules and their list twins (``rules.py``), so the home page never decides access
on its own; it answers with one aggregate query, whatever the number of rows
(``count_and_first``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import models
from django.db.models import Count, F, Func, Q, QuerySet, Subquery, Window
from django.utils.functional import Promise

from caicach.core.choices import kept, kept_while_read
from caicach.core.models import User
from caicach.core.permissions import scope_key
from caicach.core.planner import joins_as_written

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")

# How many rows of each kind the home page shows; the rest are behind the kind's link.
FIRST_ROWS = 5

# The filter of a kind the person holds no role for: its provider answers None without a query.
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class TodoItem:
    label: str
    url: str
    detail: str = ""  # a second line: the unit, the deadline
    late: bool = False


@dataclass(frozen=True)
class TodoEntry:
    """One kind of work waiting for the person: ``count`` rows in all, the first of them in
    ``items`` (the page shows ``title`` with the count beside it)."""

    key: str
    title: str | Promise
    count: int
    items: list[TodoItem] = field(default_factory=list)
    more_url: str = ""  # the list holding every row of the kind, when there is one
    late_count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.items)


TodoProvider = Callable[[User, int], "TodoEntry | None"]
_providers: dict[str, tuple[int, TodoProvider]] = {}


def register_todo_provider(key: str, provider: TodoProvider, *, order: int) -> None:
    """Add (or replace) the provider of one kind; ``order`` places it on the page."""
    _providers[key] = (order, provider)


def registered() -> dict[str, TodoProvider]:
    return {key: provider for key, (_order, provider) in _providers.items()}


def todos_for(user: User, *, limit: int = FIRST_ROWS) -> list[TodoEntry]:
    """The kinds with something waiting for ``user``, in the registered order.

    Kept whole (``choices.kept_while_read``) until a write to a table the providers read
    commits: the home page is every person's first page, and asking each provider, even for
    its kept count, cost a national office some 40 ms of building and compiling a dozen
    queries. The key holds what the providers read before they run: the person's scope key
    (``permissions.scope_key``: their row, their grants, the day) and the providers."""
    providers = tuple(
        (key, order, f"{provider.__module__}.{provider.__qualname__}")
        for key, (order, provider) in sorted(_providers.items())
    )
    key = (scope_key(user), limit, providers)
    return kept_while_read("to-dos", key, lambda: _todos(user, limit))


def _todos(user: User, limit: int) -> list[TodoEntry]:
    entries: list[TodoEntry] = []
    for _order, provider in sorted(_providers.values(), key=lambda entry: entry[0]):
        entry = provider(user, limit)
        if entry is not None and entry.count:
            entries.append(entry)
    return entries


def count_and_first(queryset: QuerySet[M, R], limit: int) -> tuple[int, list[R]]:
    """The number of rows of ``queryset`` and its first ``limit`` rows.

    Kept (``caicach.core.choices.kept``) under the statement's SQL, which carries the
    person's scope and the day: the home page is every person's first page, and a national
    office's kinds each counted tens of thousands of rows on every visit (0.13 s for the
    page). A write to a table the statement reads renews it when it commits. Model rows keep
    their count and first keys; the rows themselves, with their relations, are read by key
    on each visit (their labels and links may change with tables the count does not read),
    and not at all when nothing waits.

    The count is a subquery the database runs once (COUNT of the same filter, no joins, no
    columns: an index may answer it alone), and the keys stop at ``limit``. A window over
    the result instead read every matching row in full before the LIMIT: 0.1 s for the
    24,000 dossiers waiting for a national office. ``values()`` rows (grouped) keep the
    window, which counts what is left after grouping, and are kept whole."""
    query = queryset.query
    if query.values_select:
        return kept([queryset], lambda: _windowed(queryset, limit), f"to-do rows {limit}")
    if query.distinct or query.group_by is not None:
        return _windowed(queryset, limit)
    total, keys = kept([queryset], lambda: _count_and_keys(queryset, limit), f"to-do keys {limit}")
    if not keys:
        return total, []
    return total, _rows_by_key(queryset, keys)


def _windowed(queryset: QuerySet[M, R], limit: int) -> tuple[int, list[R]]:
    rows = list(queryset.annotate(todo_total=Window(Count("*")))[:limit])
    if not rows:
        return 0, rows
    first = rows[0]
    total = first["todo_total"] if isinstance(first, dict) else first.todo_total
    return int(total), rows


def _count_and_keys(queryset: QuerySet[M, R], limit: int) -> tuple[int, list[tuple[Any, dict[str, Any]]]]:
    """The count and the first keys, without the joins the filter does not need (PostgreSQL
    spent longer planning the joined, filtered statement than running it: 12 ms against
    0.3 ms for a national officer's reports to review); each key with the values of the
    queryset's window annotations, which are figures over the whole result (how many are
    late) that the rows read by key alone could not give."""
    total = Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT")))
    windows = [
        name
        for name, expression in queryset.query.annotations.items()
        if getattr(expression, "contains_over_clause", False)
    ]
    rows = list(
        queryset.select_related(None)
        .annotate(todo_total=total)
        .values_list("pk", "todo_total", *windows)[:limit]
    )
    if not rows:
        return 0, []
    return int(rows[0][1]), [(row[0], dict(zip(windows, row[2:], strict=True))) for row in rows]


def _rows_by_key(queryset: QuerySet[M, R], keys: list[tuple[Any, dict[str, Any]]]) -> list[R]:
    """The rows of ``keys`` in their order, with the whole result's window figures; a row
    gone since the keys were kept is left out."""
    joined = queryset.order_by().filter(pk__in=[pk for pk, _windows in keys])
    with joins_as_written():  # a few rows by key: their joins are key lookups
        by_pk = {cast(models.Model, row).pk: row for row in joined}
    rows = []
    for pk, windows in keys:
        row = by_pk.get(pk)
        if row is not None:
            for name, value in windows.items():
                setattr(row, name, value)
            rows.append(row)
    return rows
