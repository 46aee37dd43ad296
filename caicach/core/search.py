"""The one search service every list uses (dossiers, program items, units, users, and the
apps to come): full-text over the folded ``search_text`` column that ``FoldedSearchMixin``
keeps, so "nang cao hieu qua" finds "Nâng cao hiệu quả" and "Đức" is "duc".

- Every word must match the start of a word of the row ("thanh" finds "Thành phố", not
  "Châu Thành"'s middle letters): a rare name finds its rows, not every row that happens to
  contain its letters. Typing "nang ca" already finds "nâng cao".
- Rows where the words appear side by side as typed (the phrase) come first, and among
  them those that match the user's own diacritics (``exact_fields``); then by relevance.
- PostgreSQL: a ``tsvector`` of the folded text ('simple' configuration: no stemming, no
  stop words — Vietnamese has neither), GIN-indexed by expression, queried with prefix
  terms, ranked with ``ts_rank``. SQLite: an FTS5 table beside each searched table, kept by
  triggers, ranked with ``bm25``. Both are created by ``install_fulltext`` from migrations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from caicach.core.text import search_words

M = TypeVar("M", bound=models.Model)


def terms(text: str) -> list[str]:
    """The folded words of ``text``: "Nâng cao, HIỆU-QUẢ" -> ["nang", "cao", "hieu", "qua"]."""
    return search_words(text).split()


def _postgresql_filter(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # The same expression as the index install_fulltext() creates, so the planner uses it.
    vector = SearchVector("search_text", config="simple")
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
    found: QuerySet[M] = (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(vector, query))
    )
    return found


def _sqlite_filter(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    table = queryset.model._meta.db_table
    fts = f"{table}_fts"
    match = " ".join(f'"{word}"*' for word in words)
    found: QuerySet[M] = queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match])
    ).annotate(
        # bm25() is lower for better matches: negated, higher is better as on PostgreSQL.
        search_rank=RawSQL(
            f'SELECT -bm25({fts}) FROM {fts} WHERE {fts} MATCH %s AND rowid = "{table}"."id"',
            [match],
            output_field=FloatField(),
        )
    )
    return found


def search(queryset: QuerySet[M], text: str, *, exact_fields: Iterable[str] = ()) -> QuerySet[M]:
    """The rows of ``queryset`` matching every word of ``text`` (see the module docstring),
    annotated with ``search_exact``, ``search_phrase`` and ``search_rank`` for ``ranked()``.
    An empty ``text`` leaves ``queryset`` unchanged."""
    words = terms(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        found = _postgresql_filter(queryset, words)
    elif connection.vendor == "sqlite":
        found = _sqlite_filter(queryset, words)
    else:  # another database: the same words, matched anywhere, unranked
        found = queryset
        for word in words:
            found = found.filter(search_text__contains=word)
        found = found.annotate(search_rank=Value(0.0, output_field=FloatField()))
    exact = Q()
    typed = " ".join(text.split())
    for name in exact_fields:
        exact |= Q(**{f"{name}__icontains": typed})
    annotated: QuerySet[M] = found.annotate(
        search_phrase=Case(When(search_text__contains=" ".join(words), then=Value(1)), default=Value(0)),
        # A constant, cast so that ORDER BY reads it as a value and not as a column position.
        search_exact=Case(When(exact, then=Value(1)), default=Value(0))
        if exact
        else Cast(Value(0), IntegerField()),
    )
    return annotated


def ranked(queryset: QuerySet[M], *then: str | Any) -> QuerySet[M]:
    """``search()``'s rows best first — as typed, then the phrase, then relevance — and
    ``then`` to break ties."""
    return queryset.order_by(
        F("search_exact").desc(), F("search_phrase").desc(), F("search_rank").desc(), *then
    )


# --- Installation (called by migrations: keep the names) -------------------------------------


def _sqlite_statements(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} "
        f"USING fts5(search_text, content='{table}', content_rowid='id')",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_text ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def install_fulltext(schema_editor: Any, table: str) -> None:
    """The full-text index of ``table``'s ``search_text``: a GIN expression index on
    PostgreSQL, an FTS5 table and its triggers on SQLite (which a later migration that
    rebuilds ``table`` on SQLite must install again: tests/core/test_search.py checks)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )
    elif vendor == "sqlite":
        for statement in _sqlite_statements(table):
            schema_editor.execute(statement)


def uninstall_fulltext(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts")
    elif vendor == "sqlite":
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


def rewrite_search_words(model: Any, batch: int = 2000) -> None:
    """Keeps only the words of an already folded search column (what ``search_words``
    stores since the full-text search came in). Batches by primary key rather than one
    open cursor: SQLite does not isolate a cursor from writes to the table it reads."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_text")[:batch])
        if not rows:
            return
        for row in rows:
            row.search_text = " ".join(terms(row.search_text or ""))
        model.objects.bulk_update(rows, ["search_text"])
        last = rows[-1].pk


SEARCHED_TABLES = ("core_unit", "core_user", "initiatives_initiative", "workprogram_programitem")
