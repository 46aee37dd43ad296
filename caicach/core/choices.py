"""The option lists of pickers (units, people), kept in the shared cache.

A filter's options are a scoped aggregate ("the lead units of the tasks I may see"): at
national scale each costs a scan of the scope (10–20 ms), and a list page offers two or
three of them on every request, while they change only when those tables are written. So
the rows are kept under the query's own SQL and parameters, which carry the asker's scope
(two people with the same scope share an entry; two with different scopes never do), and
the generations of the tables the query reads. An audited write renews the generation of
its object's table when its transaction commits (``caicach.core.audit.services.record``):
every write of the product is a service that records an audit event on what it changed,
so a picker shows a new task's lead unit, a renamed unit or a new person at once, while
writes elsewhere in the country (a report filed, a dossier scored) leave the lists kept.
Entries also expire after ``CHOICES_SECONDS``, which bounds what a write to a second table
of a service, or one made outside the services (a migration, a shell), leaves behind.

Validation never reads the cache: the chosen row is still looked up in the queryset."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import translation

T = TypeVar("T")

CHOICES_SECONDS = 300
_GENERATION = "choices:generation:"
# The tables a query reads, as Django's compiler quotes them on SQLite and PostgreSQL.
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


def tables_read(sql: str) -> list[str]:
    return sorted(set(_TABLE.findall(sql)))


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
    transaction.on_commit(functools.partial(renew, table))


def is_renewal(callback: object) -> bool:
    """Whether an on-commit callback is ``renew_on_commit``'s (for tests counting theirs)."""
    return isinstance(callback, functools.partial) and callback.func is renew


def cached_rows(queryset: QuerySet[Any, Any], build: Callable[[QuerySet[Any, Any]], list[T]]) -> list[T]:
    """``build(queryset)`` (plain rows: ids and labels), kept under the query's SQL."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (an empty scope): no query to keep
        return build(queryset.all())
    # The labels may be translated (a person's position is not, a kind's name is): the
    # language is part of the key.
    source = repr((queryset.db, translation.get_language(), generations(tables_read(sql)), sql, params))
    key = f"choices:{hashlib.sha256(source.encode()).hexdigest()}"
    rows: list[T] | None = cache.get(key)
    if rows is None:
        rows = build(queryset.all())  # a fresh clone: never a result the queryset itself holds
        cache.set(key, rows, CHOICES_SECONDS)
    return rows


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
        return cached_rows(self.queryset, lambda rows: [(row.pk, str(label(row))) for row in rows])


class CachedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A filter's model picker whose options are kept (``CachedModelChoiceIterator``)."""

    iterator = CachedModelChoiceIterator
