"""The option lists of pickers (units, people), kept in the shared cache.

A filter's options are a scoped aggregate ("the lead units of the tasks I may see"): at
national scale each costs a scan of the scope (10–20 ms), and a list page offers two or
three of them on every request, while they change only when something is written. So the
rows are kept under the query's own SQL and parameters, which carry the asker's scope (two
people with the same scope share an entry; two with different scopes never do), and a
generation that every audited write renews when its transaction commits
(``caicach.core.audit.services.record``). Every write of the product is a service that
records an audit event, so a picker never shows a list older than the last write; the
entries also expire after ``CHOICES_SECONDS``, which bounds what a write made outside the
services (a migration, a shell) leaves behind.

Validation never reads the cache: the chosen row is still looked up in the queryset."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import translation

T = TypeVar("T")

CHOICES_SECONDS = 300
_GENERATION_KEY = "choices:generation"


def generation() -> str:
    value = cache.get(_GENERATION_KEY)
    if value is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(_GENERATION_KEY) or "0"
    return str(value)


def renew() -> None:
    """Forget every kept option list (in every process: the generation is in the shared cache)."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)


def renew_on_commit() -> None:
    """For a write: the lists are forgotten once it is committed (not before: a reader in
    between would keep the old rows under the new generation)."""
    transaction.on_commit(renew)


def cached_rows(queryset: QuerySet[Any, Any], build: Callable[[QuerySet[Any, Any]], list[T]]) -> list[T]:
    """``build(queryset)`` (plain rows: ids and labels), kept under the query's SQL."""
    sql, params = queryset.query.sql_with_params()
    # The labels may be translated (a person's position is not, a kind's name is): the
    # language is part of the key.
    source = repr((queryset.db, translation.get_language(), sql, params))
    key = f"choices:{generation()}:{hashlib.sha256(source.encode()).hexdigest()}"
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
