"""The option lists of pickers (units, people), kept in the shared cache.

A filter's options are a scoped aggregate ("the lead units of the tasks I may see"): at
national scale each costs a scan of the scope (10–20 ms), and a list page offers two or
three of them on every request, while they change only when those tables are written. So
the rows are kept under the query's own SQL and parameters, which carry the asker's scope
(two people with the same scope share an entry; two with different scopes never do), and
the generations of the tables the query reads. Every statement that writes a table renews
that table's generation when its transaction commits (``watch_writes``, installed on every
database connection): a picker shows a new task's lead unit, a renamed unit or a new person
at once, and a kept count shows a report just sent, while writes to other tables (a report
filed elsewhere leaves the unit pickers alone) keep the entries. Entries also expire after
``CHOICES_SECONDS``, which bounds what a write the watcher cannot see (raw SQL on another
connection, a database restored from a backup) leaves behind.

Validation never reads the cache: the chosen row is still looked up in the queryset."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import translation

T = TypeVar("T")

CHOICES_SECONDS = 300
_GENERATION = "choices:generation:"
# The tables a query reads, as Django's compiler quotes them on SQLite and PostgreSQL.
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')
# The table a statement writes, as Django's compiler writes INSERT, UPDATE and DELETE.
_WRITTEN = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)
# Written on most requests and never kept: no cache write for them.
_UNKEPT = frozenset({"django_session"})


# Tables the database keeps from another one's writes (triggers, no statement of ours): a
# read of the first depends on writes to the second (a unit moved rewrites its ancestry).
_KEPT_FROM = {"core_unitancestry": "core_unit"}


def tables_read(sql: str) -> list[str]:
    tables = set(_TABLE.findall(sql))
    return sorted(tables | {_KEPT_FROM[table] for table in tables if table in _KEPT_FROM})


def generations(tables: list[str]) -> list[str]:
    keys = [_GENERATION + table for table in tables]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "0"
    return [str(found[key]) for key in keys]


def renew(table: str) -> None:
    """Forget every kept list that reads ``table`` (in every process: the generation is in
    the shared cache)."""
    cache.set(_GENERATION + table, uuid.uuid4().hex, None)


def renew_on_commit(table: str) -> None:
    """For a write to ``table``: its lists are forgotten once the write is committed (not
    before: a reader in between would keep the old rows under the new generation)."""
    _renew_when_committed(transaction.get_connection(), table)


def _renew_when_committed(connection: BaseDatabaseWrapper, table: str) -> None:
    """``renew(table)`` once the connection's transaction commits, asked once per table and
    savepoint (a transaction inserting thousands of rows renews its tables once)."""
    if not connection.in_atomic_block:
        renew(table)  # autocommit: the write is already committed
        return
    asked: set[tuple[tuple[str | None, ...], str]]
    pending, asked = getattr(connection, "_renewals_asked", (None, set()))
    # Django replaces its list of on-commit callbacks when a transaction ends and when a
    # savepoint rolls back (dropping that savepoint's callbacks): a new list, new requests.
    if pending is not connection.run_on_commit:
        asked = set()
        connection._renewals_asked = (connection.run_on_commit, asked)  # type: ignore[attr-defined]
    # Per savepoint too: a test's own transaction never commits, and a test runs the
    # callbacks its service's block added (``captureOnCommitCallbacks``).
    key = (tuple(connection.savepoint_ids), table)
    if key not in asked:
        asked.add(key)
        transaction.on_commit(functools.partial(renew, table), using=connection.alias)


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A database execute wrapper: after a statement that writes a table, that table's kept
    entries are forgotten when the write commits (not before: a reader in between would keep
    the old rows under the new generation)."""
    result = execute(sql, params, many, context)
    written = _WRITTEN.match(sql)
    if written is not None and written.group(1) not in _UNKEPT:
        _renew_when_committed(context["connection"], written.group(1))
    return result


def install_write_watch(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """For ``connection_created``: the wrappers outlive a reconnection, so installed once."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


def is_renewal(callback: object) -> bool:
    """Whether an on-commit callback is ``renew_on_commit``'s (for tests counting theirs)."""
    return isinstance(callback, functools.partial) and callback.func is renew


def kept(
    querysets: Sequence[QuerySet[Any, Any]],
    build: Callable[[], T],
    purpose: str,
    *,
    reads: Sequence[type[Model]] = (),
) -> T:
    """``build()``, kept under the SQL of the ``querysets`` it reads (their filters carry the
    asker's scope) and ``purpose``, which names what ``build`` makes of them and anything
    else it depends on; forgotten when a write to a table they read, or to a table of the
    models in ``reads``, commits (``reads``: what ``build`` reads beyond ``querysets``, when
    a cheaper queryset stands for costly ones in the key). ``build`` returns plain values
    (ids, labels, counts, tuples and dataclasses of them), never querysets."""
    statements = []
    for queryset in querysets:
        try:
            statements.append((queryset.db, *queryset.query.sql_with_params()))
        except EmptyResultSet:  # a filter that matches nothing (an empty scope): nothing to keep
            return build()
    tables = sorted(
        {table for _db, sql, _params in statements for table in tables_read(sql)}
        | {model._meta.db_table for model in reads}
    )
    # The labels may be translated (a person's position is not, a kind's name is): the
    # language is part of the key.
    source = repr((translation.get_language(), generations(tables), statements, purpose))
    key = f"choices:{hashlib.sha256(source.encode()).hexdigest()}"
    found: T | None = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, CHOICES_SECONDS)
    return found


def cached_rows(
    queryset: QuerySet[Any, Any], build: Callable[[QuerySet[Any, Any]], T], purpose: str = ""
) -> T:
    """``build(queryset)`` (plain rows: ids and labels, counts), kept under the query's SQL
    and ``purpose`` (``kept``)."""
    # A fresh clone: never a result the queryset itself holds.
    return kept([queryset], lambda: build(queryset.all()), purpose)


class CachedModelChoiceIterator(ModelChoiceIterator):
    """A model picker's options ("", empty label), then (id, label), the labels computed
    once per kept list rather than from a model instance per option on every page."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._rows()

    def __len__(self) -> int:
        return len(self._rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())

    def _rows(self) -> list[tuple[Any, str]]:
        label = self.field.label_from_instance
        # Two fields may label the same rows differently.
        purpose = f"{type(self.field).__module__}.{type(self.field).__qualname__}"
        return cached_rows(self.queryset, lambda rows: [(row.pk, str(label(row))) for row in rows], purpose)


class CachedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A filter's model picker whose options are kept (``CachedModelChoiceIterator``)."""

    iterator = CachedModelChoiceIterator
