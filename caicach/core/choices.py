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
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
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


def source_digest(root: Path) -> str:
    """A digest of the Python source under ``root`` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def code_release() -> str:
    """The project's source as this process runs it, part of every kept value's key: a value
    pickled by the code before an upgrade (a named tuple with other fields, say) is never
    read by the code after it, which would fail on it or, worse, read its fields shifted.
    Hashing the package's source costs some ten ms, once per process."""
    return source_digest(Path(__file__).resolve().parents[1])


_GENERATION = "choices:generation:"
# The tables a query reads, as Django's compiler quotes them on SQLite and PostgreSQL.
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')
# The table a statement writes, as Django's compiler writes INSERT, UPDATE and DELETE; on
# SQLite, ``bulk_create(ignore_conflicts=True)`` (a many-to-many ``add``) is "INSERT OR IGNORE".
_WRITTEN = re.compile(
    r'\s*(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE
)
# Written on most requests and never kept: no cache write for them.
_UNKEPT = frozenset({"django_session"})


# Tables the database keeps from another one's writes (triggers, no statement of ours): a
# read of the first depends on writes to the second (a unit moved rewrites its ancestry).
_KEPT_FROM = {"core_unitancestry": "core_unit"}


def tables_read(sql: str) -> list[str]:
    tables = set(_TABLE.findall(sql))
    return sorted(tables | {_KEPT_FROM[table] for table in tables if table in _KEPT_FROM})


# --- Versions: the shared cache's marks of what changed ----------------------------------------
#
# A version is a value in the shared cache that a write replaces (a table's generation, the
# working calendar's version); what was kept or computed under the old value is no longer
# used. A request reads each version once (``versions_per_request``, from the middleware):
# a page whose rows each count working days read the calendar's version for every row, a
# round trip to the cache each. What a request reads is then one consistent view, as a
# statement's snapshot is; its own writes replace the values it holds.

_request_versions: ContextVar[dict[str, str] | None] = ContextVar("caicach_versions", default=None)
# The versions (and tables' generations) read while ``kept_while_read`` builds its value,
# each with the value it had when first read.
_recording: ContextVar[dict[str, str] | None] = ContextVar("caicach_kept_reads", default=None)


@contextmanager
def versions_per_request() -> Iterator[None]:
    """Within: each version is read from the shared cache once."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def versions(keys: Sequence[str]) -> list[str]:
    """The current values of the version ``keys`` (created when missing)."""
    held = _request_versions.get()
    missing = list(keys) if held is None else [key for key in keys if key not in held]
    found: dict[str, Any] = cache.get_many(missing) if missing else {}
    for key in missing:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "0"
    if held is None:
        values = [str(found[key]) for key in keys]
    else:
        held.update((key, str(value)) for key, value in found.items())
        values = [held[key] for key in keys]
    recording = _recording.get()
    if recording is not None:
        for key, value in zip(keys, values, strict=True):
            recording.setdefault(key, value)
    return values


def version(key: str) -> str:
    return versions([key])[0]


def new_version(key: str) -> None:
    """Replace the version ``key`` (in every process: it is in the shared cache)."""
    value = uuid.uuid4().hex
    cache.set(key, value, None)
    held = _request_versions.get()
    if held is not None:
        held[key] = value


def generations(tables: list[str]) -> list[str]:
    return versions([_GENERATION + table for table in tables])


def renew(table: str) -> None:
    """Forget every kept list that reads ``table`` (in every process: the generation is in
    the shared cache)."""
    new_version(_GENERATION + table)


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
    the old rows under the new generation); a statement that reads, while
    ``kept_while_read`` builds, adds its tables to what the value depends on."""
    written = _WRITTEN.match(sql)
    if written is None and _recording.get() is not None:
        # Read before the statement runs: a write committed after this read renews a
        # generation the value was kept under, whether or not the statement saw it.
        generations(tables_read(sql))
    result = execute(sql, params, many, context)
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
    source = repr((code_release(), translation.get_language(), generations(tables), statements, purpose))
    key = f"choices:{hashlib.sha256(source.encode()).hexdigest()}"
    found: T | None = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, CHOICES_SECONDS)
    return found


def kept_while_read(purpose: str, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept under ``purpose`` and ``key`` until a write commits to a table that
    one of its statements read, or a version it read changes (the working calendar's).

    ``kept`` keys a value on the SQL of the querysets it reads; here what ``build`` reads is
    recorded while it runs (each statement's tables, their generations read before the
    statement runs, and those of the kept figures it asks for, which run no statement when
    found), so a value made of many queries (the home page's to-dos, a dozen kinds) costs,
    when found, two reads of the cache rather than building and compiling each query for its
    key. ``key`` must name whatever else the value depends on, which no statement inside
    ``build`` reads: the asker and their grants (read once per request, before), the day;
    the language is added here."""
    source = repr((code_release(), translation.get_language(), purpose, key))
    cache_key = "kept-read:" + hashlib.sha256(source.encode()).hexdigest()
    entry: tuple[tuple[str, ...], tuple[str, ...], T] | None = cache.get(cache_key)
    if entry is not None:
        depends, when_kept, value = entry
        if tuple(versions(depends)) == when_kept:
            return value
    with reads_recorded() as read:
        value = build()
    depends = tuple(sorted(read))
    cache.set(cache_key, (depends, tuple(read[name] for name in depends), value), CHOICES_SECONDS)
    return value


@contextmanager
def reads_recorded() -> Iterator[dict[str, str]]:
    """Within: the versions read (each statement's tables' generations, the working
    calendar's) are recorded in the dict given, and in the one recording outside, if any."""
    outer = _recording.get()
    read: dict[str, str] = {}
    token = _recording.set(read)
    try:
        yield read
    finally:
        _recording.reset(token)
    if outer is not None:
        for name, seen in read.items():
            outer.setdefault(name, seen)


def cached_rows(
    queryset: QuerySet[Any, Any], build: Callable[[QuerySet[Any, Any]], T], purpose: str = ""
) -> T:
    """``build(queryset)`` (plain rows: ids and labels, counts), kept under the query's SQL
    and ``purpose`` (``kept``)."""
    # A fresh clone: never a result the queryset itself holds.
    return kept([queryset], lambda: build(queryset.all()), purpose)


class KeptOptionsField:
    """A picker whose options ``keep_options`` may read together with its form's others:
    ``read_options()`` returns them as plain rows, ``options()`` what ``keep_options`` found
    for the field's current queryset (None: not kept, or kept for a queryset since replaced)."""

    queryset: Any
    _kept: tuple[Any, Any] | None = None

    def read_options(self) -> Any:
        raise NotImplementedError

    def options(self) -> Any:
        if self._kept is None or self._kept[0] is not self.queryset:
            return None
        return self._kept[1]

    def keep(self, rows: Any) -> None:
        self._kept = (self.queryset, rows)


def keep_options(form: forms.BaseForm, key: Hashable) -> None:
    """Read the options of every ``KeptOptionsField`` of ``form`` as one value kept while
    read (``kept_while_read``): one read of the cache for all of them when kept, where each
    picker keyed on its own SQL compiled its scoped queryset on every page only to find its
    key (a national filter form, three pickers: some 10 ms a page).

    Call it last in the form's ``__init__``, once the querysets are set, with ``key`` naming
    everything those querysets were built from: ``permissions.scope_key(user)`` for a
    filter form scoped to its user, and what else its querysets take (a parent object's
    id). The rows' own tables are recorded as they are read."""
    fields = {name: field for name, field in form.fields.items() if isinstance(field, KeptOptionsField)}
    if not fields:
        return
    purpose = f"options of {type(form).__module__}.{type(form).__qualname__}"
    found = kept_while_read(
        purpose, (key, tuple(fields)), lambda: {name: field.read_options() for name, field in fields.items()}
    )
    for name, field in fields.items():
        field.keep(found[name])


class CachedModelChoiceIterator(ModelChoiceIterator):
    """A model picker's options ("", empty label), then (id, label), the labels computed
    once per kept list rather than from a model instance per option on every page: as its
    form kept them (``keep_options``), or else under the queryset's own SQL."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._rows()

    def __len__(self) -> int:
        return len(self._rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())

    def _rows(self) -> list[tuple[Any, str]]:
        field = self.field
        assert isinstance(field, KeptOptionsField)
        rows: list[tuple[Any, str]] | None = field.options()
        if rows is not None:
            return rows
        # Two fields may label the same rows differently.
        purpose = f"{type(field).__module__}.{type(field).__qualname__}"
        return cached_rows(self.queryset, lambda _rows: field.read_options(), purpose)


class CachedModelChoiceField(forms.ModelChoiceField, KeptOptionsField):  # type: ignore[type-arg]
    """A filter's model picker whose options are kept (``CachedModelChoiceIterator``)."""

    iterator = CachedModelChoiceIterator

    def read_options(self) -> list[tuple[Any, str]]:
        assert self.queryset is not None
        return [(row.pk, str(self.label_from_instance(row))) for row in self.queryset.all()]
