"""The one search service every list uses (dossiers, program items, units, users, the audit
trail, and the apps to come): full-text over the folded ``search_text`` column that
``FoldedSearchMixin`` keeps, so "nang cao hieu qua" finds "Nâng cao hiệu quả" and "Đức" is
"duc".

- Every word must match the start of a word of the row ("thanh" finds "Thành phố", not
  "Châu Thành"'s middle letters): a rare name finds its rows, not every row that happens to
  contain its letters. Typing "nang ca" already finds "nâng cao".
- Rows where the words appear side by side as typed (the phrase) come first, and among
  them those that match the user's own diacritics (``exact_fields``); then by relevance.
- PostgreSQL: a stored ``tsvector`` column of the folded text ('simple' configuration: no
  stemming, no stop words — Vietnamese has neither), GIN-indexed, queried with prefix
  terms, ranked with ``ts_rank``. SQLite: an FTS5 table beside each searched table, kept by
  triggers, ranked with ``bm25``. Both are created by ``install_fulltext`` from migrations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from caicach.core.choices import kept
from caicach.core.text import nfc, search_words

M = TypeVar("M", bound=models.Model)


def terms(text: str) -> list[str]:
    """The folded words of ``text``: "Nâng cao, HIỆU-QUẢ" -> ["nang", "cao", "hieu", "qua"]."""
    return search_words(text).split()


class _StoredVector(Expression):
    """The table's stored ``search_vector`` column (PostgreSQL only, kept by the database:
    see ``install_fulltext``; the model does not declare it, so SQLite needs nothing). Read
    through the query's own alias for the table, so it holds inside a subquery too."""

    @cached_property
    def output_field(self) -> Any:
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

    def __init__(self, *, indexed: bool = True) -> None:
        super().__init__()
        self.indexed = indexed

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        alias = compiler.query.get_initial_alias()
        column = f"{compiler.quote_name_unless_alias(alias)}.search_vector"
        # COALESCE hides the column from the GIN index (see Tiered.narrow).
        return (column, []) if self.indexed else (f"COALESCE({column}, ''::tsvector)", [])


def _postgresql_query(words: list[str]) -> Any:
    from django.contrib.postgres.search import SearchQuery

    text = " & ".join(f"{word}:*" for word in words)  # every word, by its start
    return SearchQuery(text, search_type="raw", config="simple")


def _postgresql_match(queryset: QuerySet[M], words: list[str], *, indexed: bool = True) -> QuerySet[M]:
    found: QuerySet[M] = queryset.alias(search_vector=_StoredVector(indexed=indexed)).filter(
        search_vector=_postgresql_query(words)
    )
    return found


def _postgresql_rank(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    from django.contrib.postgres.search import SearchRank

    ranked: QuerySet[M] = queryset.alias(search_vector=_StoredVector()).annotate(
        search_rank=SearchRank(F("search_vector"), _postgresql_query(words))
    )
    return ranked


def _sqlite_expression(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)  # every word, by its start


def _sqlite_match_and_rank(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    """The FTS5 table joined to ``queryset``'s table: one MATCH for the whole statement,
    ``bm25()`` read from it. (As a correlated subquery per row, the MATCH ran once for each
    matching row: 30 s for a common phrase over 20,000 dossiers.) ``extra()`` because the
    ORM cannot join a virtual table; the row id is the table's primary key."""
    table = queryset.model._meta.db_table
    fts = f"{table}_fts"
    found: QuerySet[M] = queryset.extra(
        # bm25() is lower for better matches: negated, higher is better as on PostgreSQL.
        select={"search_rank": f"-bm25({fts})"},
        tables=[fts],
        where=[f'{fts}.rowid = "{table}"."id"', f"{fts} MATCH %s"],
        params=[_sqlite_expression(words)],
    )
    return found


def _postgresql_fuzzy(queryset: QuerySet[M], words: list[str]) -> QuerySet[M]:
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    typed = " ".join(words)
    # search_text %> 'typed': some run of the row's words is trigram-similar to what was
    # typed (pg_trgm.word_similarity_threshold, 0.6 by default); the GIN trigram index
    # install_trigrams() creates answers it.
    found: QuerySet[M] = queryset.filter(TrigramWordSimilar(F("search_text"), Value(typed))).annotate(
        search_rank=TrigramWordSimilarity(typed, "search_text")
    )
    return found


def search(
    queryset: QuerySet[M],
    text: str,
    *,
    exact_fields: Iterable[str] = (),
    fuzzy: bool = False,
) -> QuerySet[M]:
    """The rows of ``queryset`` matching every word of ``text`` (see the module docstring),
    annotated with ``search_exact``, ``search_phrase`` and ``search_rank`` for ``ranked()``.
    An empty ``text`` leaves ``queryset`` unchanged.

    ``fuzzy`` (names: units, people), on PostgreSQL: when no row matches, the rows whose
    words are closest by trigrams ("Nguyen Van Hugn" finds "Nguyễn Văn Hùng"), best first
    by ``search_rank``. It costs one query to know that nothing matched."""
    words = terms(text)
    if not words:
        return queryset
    if connection.vendor == "sqlite":
        return _finish(_sqlite_match_and_rank(queryset, words), text, words, exact_fields)
    if connection.vendor != "postgresql":  # another database: the same words, anywhere, unranked
        found = queryset
        for word in words:
            found = found.filter(search_text__contains=word)
        return _finish(
            found.annotate(search_rank=Value(0.0, output_field=FloatField())), text, words, exact_fields
        )
    found = _postgresql_rank(_postgresql_match(queryset, words), words)
    if fuzzy and not found.exists():
        found = _postgresql_fuzzy(queryset, words)
    return _finish(found, text, words, exact_fields)


def _exact(text: str, exact_fields: Iterable[str]) -> Q:
    """One of ``exact_fields`` holds ``text`` as typed (case aside, diacritics as typed)."""
    exact = Q()
    # As typed but composed (a Mac's decomposed "Hòa" is the stored "Hòa"), and without NUL,
    # which no stored text holds and PostgreSQL refuses in a parameter.
    typed = " ".join(nfc(text).replace("\x00", " ").split())
    for name in exact_fields:
        exact |= Q(**{f"{name}__icontains": typed})
    return exact


def _phrase(words: list[str]) -> Q:
    """The folded words side by side, in the order typed."""
    return Q(search_text__contains=" ".join(words))


def _finish(found: QuerySet[M], text: str, words: list[str], exact_fields: Iterable[str]) -> QuerySet[M]:
    exact = _exact(text, exact_fields)
    annotated: QuerySet[M] = found.annotate(
        search_phrase=Case(When(_phrase(words), then=Value(1)), default=Value(0)),
        # A constant, cast so that ORDER BY reads it as a value and not as a column position.
        search_exact=Case(When(exact, then=Value(1)), default=Value(0))
        if exact
        else Cast(Value(0), IntegerField()),
    )
    return annotated


def ranked(queryset: QuerySet[M], *then: str | Any) -> QuerySet[M]:
    """``search()``'s rows best first — as typed, then the phrase, then relevance — and
    ``then`` to break ties."""
    if "search_exact" not in queryset.query.annotations:
        # ``search()`` found no word to look for ("?!") and left the rows as they were.
        return queryset.order_by(*then)
    # By name: on SQLite the rank is an extra() column, which F() does not reach.
    return queryset.order_by("-search_exact", "-search_phrase", "-search_rank", *then)


def _matching(queryset: QuerySet[M], words: list[str], *, indexed: bool = True) -> QuerySet[M]:
    """The rows holding every word, neither annotated nor ordered (what tiers and counts
    filter further); ``indexed=False``: PostgreSQL checks the rows ``queryset`` finds
    rather than asking the full-text index."""
    if connection.vendor == "sqlite":
        return _sqlite_match_and_rank(queryset, words)
    if connection.vendor != "postgresql":
        found = queryset
        for word in words:
            found = found.filter(search_text__contains=word)
        return found
    return _postgresql_match(queryset, words, indexed=indexed)


class Tiered(Generic[M]):
    """``ranked(search(...))`` for the pages of a long list, as a sequence the paginator
    slices: the rows typed as is (``exact_fields``), then the other rows holding the phrase,
    then the other rows holding every word, each tier ordered by ``then`` alone (newest
    first, say), not by relevance.

    Why: one ORDER BY over "exact, phrase, rank" computes those for every match before the
    first row comes out: a common phrase ("nang cao hieu qua", half of 200,000 dossiers) read
    every match's text and vector, 1.3 s a page. Each tier here is its own LIMITed query and
    a page stops asking once it is full, so a later tier is not read while the earlier ones
    fill the page. One query per tier reached (ids only), one for the rows shown;
    ``matches`` is every match, unordered, for a (capped) count.

    Two plans, chosen by one probe of ``rows`` among the newest rows of the table
    (``caicach.core.pagination.walkable``; PostgreSQL): a wide list (a national officer's,
    an administrator's) walks the index of ``then`` and the full-text index, which find a
    page after a few rows; a narrow one (a province's 6,000 dossiers among 200,000) reads
    its own rows through their indexes, checks the words on them and sorts
    (``sorted_not_walked``): walking the newest-first index read 52,000 rows to find 25 of
    the province's, and ANDing the full-text index's 110,000 matches of a common phrase
    cost 0.3 s.

    The export and the short lists keep ``ranked(search(...))``: one query, relevance inside
    the tiers."""

    wide: bool | None = None  # None: ask the rows (walkable); tests force either plan

    def __init__(
        self, rows: QuerySet[M], text: str, *, exact_fields: Iterable[str] = (), then: tuple[str, ...]
    ) -> None:
        self.words = terms(text)
        assert self.words, "Tiered needs words: without them the list is rows.order_by(*then)"
        self.rows = rows
        self.text = text
        self.exact_fields = tuple(exact_fields)
        self.then = then  # end it with the primary key: ties would make pages overlap

    @cached_property
    def narrow(self) -> bool:
        from caicach.core.pagination import walkable

        if self.wide is not None:
            return not self.wide
        return not walkable(self.rows, self.then)

    @cached_property
    def matches(self) -> QuerySet[M]:
        return _matching(self.rows.order_by(), self.words, indexed=not self.narrow)

    @cached_property
    def tiers(self) -> list[QuerySet[M]]:
        exact = _exact(self.text, self.exact_fields)
        phrase = _phrase(self.words)
        tiers = []
        if exact:
            tiers.append(self.matches.filter(exact))
        several = len(self.words) > 1
        # One word: every row holding it (at a word's start) holds it as a substring too.
        tiers.append(self.matches.filter(phrase) if several else self.matches)
        if several:
            tiers.append(self.matches.exclude(phrase))
        if exact:
            tiers[1:] = [tier.exclude(exact) for tier in tiers[1:]]
        return tiers

    @property
    def ordered(self) -> bool:  # what Paginator checks before warning of an unordered list
        return True

    def count(self) -> int:
        return self.matches.count()

    def __len__(self) -> int:
        return self.count()

    def ids(self, start: int, stop: int) -> list[Any]:
        """The primary keys of rows ``start`` to ``stop`` (exclusive), in order; kept until
        a write to a table the tiers read commits (``caicach.core.choices.kept``): a
        province's page of a common phrase cost 40 ms to find again on every visit."""
        plan = "narrow" if self.narrow else "wide"
        return kept(self.tiers, lambda: self._ids(start, stop), f"tiered keys {plan} {start} {stop}")

    def _ids(self, start: int, stop: int) -> list[Any]:
        """A tier is asked for at most ``stop`` ids without an offset, so whatever it lacks
        tells how far into the next tier the slice starts."""
        from caicach.core.pagination import sorted_not_walked

        order = sorted_not_walked(*self.then) if self.narrow else self.then
        found: list[Any] = []
        skip = start
        for tier in self.tiers:
            wanted = stop - start - len(found)
            if wanted <= 0:
                break
            ids = list(tier.order_by(*order).values_list("pk", flat=True)[: skip + wanted])
            found += ids[skip:]
            skip = max(0, skip - len(ids))
        return found

    def __getitem__(self, index: slice) -> list[M]:
        assert isinstance(index, slice) and index.step is None, "pages are slices"
        start, stop = index.start or 0, index.stop
        assert stop is not None
        ids = self.ids(start, stop)
        if not ids:
            return []
        by_id = {row.pk: row for row in self.rows.filter(pk__in=ids).order_by()}
        return [by_id[pk] for pk in ids if pk in by_id]


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
    """The full-text index of ``table``'s ``search_text``. PostgreSQL: a ``search_vector``
    column the database computes from it (GENERATED ... STORED: matching and ranking read
    it instead of parsing the text again for every row) with a GIN index; it replaces the
    expression index of the first version (a later migration that changes ``search_text``'s
    type must drop the column first: PostgreSQL refuses to alter a generated column's
    source). SQLite: an FTS5 table and its triggers (which a later migration that rebuilds
    ``table`` on SQLite must install again: tests/core/test_search.py checks)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in _sqlite_statements(table):
            schema_editor.execute(statement)


def install_trigrams(schema_editor: Any, table: str) -> None:
    """The trigram index behind ``search(..., fuzzy=True)`` (PostgreSQL; pg_trgm must be
    installed first, see core migration 0012)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def install_exact_trigrams(schema_editor: Any, table: str, column: str) -> None:
    """The trigram index behind ``exact_fields`` (``column__icontains``, which Django writes
    as ``UPPER(column::text) LIKE UPPER(...)``) on PostgreSQL, so ``Tiered``'s first tier
    does not read the whole table to find that no row holds the text as typed."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_upper_trgm ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def uninstall_exact_trigrams(schema_editor: Any, table: str, column: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_upper_trgm")


def uninstall_trigrams(schema_editor: Any, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_trgm")


def uninstall_fulltext(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
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


SEARCHED_TABLES = (
    "core_unit",
    "core_user",
    "core_auditevent",
    "initiatives_initiative",
    "workprogram_programitem",
    "replication_practice",
    "oversight_task",
    "deliberation_consultation",
)
# Where names are searched with ``fuzzy=True``.
TRIGRAM_TABLES = ("core_unit", "core_user")
