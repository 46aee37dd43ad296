"""The one search service (caicach.core.search), on whichever database the suite runs:
words matched at their start, accents and đ folded, the phrase and the typed diacritics
first, the index kept in step with every write, and no way for text to become syntax."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection

from caicach.core import search as fulltext
from caicach.core.models import Unit, UnitKind
from tests.conftest import Org


def names(queryset: object) -> list[str]:
    assert hasattr(queryset, "values_list")
    return list(queryset.values_list("name", flat=True))


def make(name: str) -> Unit:
    return Unit.objects.create(code=f"S{Unit.objects.count()}", name=name, kind=UnitKind.DEPARTMENT)


@pytest.fixture
def units(db: None) -> None:
    make("Ủy ban nhân dân xã Đức Hòa")
    make("Ủy ban nhân dân phường Thanh Hóa")
    make("Trung tâm Hòa Đức")
    make("Sở Nông nghiệp")


def found(text: str, **kwargs: object) -> list[str]:
    return sorted(names(fulltext.search(Unit.objects.filter(code__startswith="S"), text, **kwargs)))  # type: ignore[arg-type]


def test_terms_are_folded_words_without_any_syntax() -> None:
    assert fulltext.terms("Nâng cao, HIỆU-QUẢ đời sống") == ["nang", "cao", "hieu", "qua", "doi", "song"]
    assert fulltext.terms(' "a" OR b:* & !c | (d) ') == ["a", "or", "b", "c", "d"]
    assert fulltext.terms("  ,;  ") == []


def test_every_word_must_start_a_word_of_the_row(units: None) -> None:
    assert found("duc hoa") == ["Trung tâm Hòa Đức", "Ủy ban nhân dân xã Đức Hòa"]
    assert found("Đức") == ["Trung tâm Hòa Đức", "Ủy ban nhân dân xã Đức Hòa"]
    assert found("nong ngh") == ["Sở Nông nghiệp"]  # typing the start of a word is enough
    assert found("anh") == []  # inside "Thanh": not a word of its own
    assert found("duc thanh") == []  # every word, not any


def test_the_phrase_and_the_typed_diacritics_come_first(units: None) -> None:
    rows = fulltext.ranked(
        fulltext.search(Unit.objects.filter(code__startswith="S"), "Đức Hòa", exact_fields=("name",)), "code"
    )
    assert names(rows) == ["Ủy ban nhân dân xã Đức Hòa", "Trung tâm Hòa Đức"]
    rows = fulltext.ranked(fulltext.search(Unit.objects.filter(code__startswith="S"), "hoa duc"), "code")
    assert names(rows)[0] == "Trung tâm Hòa Đức"  # the words side by side, in the order typed


def test_text_without_a_word_ranks_as_the_fallback_order(units: None) -> None:
    # "?!" holds no word: search() leaves the rows as they were, and ranked() falls back to
    # its tie-breakers rather than ordering by annotations search() did not add.
    rows = fulltext.ranked(fulltext.search(Unit.objects.filter(code__startswith="S"), "?!"), "-code")
    assert list(rows.values_list("code", flat=True)) == ["S3", "S2", "S1", "S0"]


def test_the_typed_text_is_compared_composed_and_without_nul(units: None) -> None:
    decomposed = unicodedata.normalize("NFD", "Đức Hòa")
    rows = fulltext.ranked(
        fulltext.search(Unit.objects.filter(code__startswith="S"), decomposed, exact_fields=("name",)), "code"
    )
    assert rows.first().search_exact == 1  # type: ignore[union-attr]
    rows = fulltext.search(Unit.objects.filter(code__startswith="S"), "Đức\x00Hòa", exact_fields=("name",))
    assert sorted(names(rows)) == ["Trung tâm Hòa Đức", "Ủy ban nhân dân xã Đức Hòa"]


def test_text_that_looks_like_query_syntax_is_only_words(units: None) -> None:
    for text in ['"duc" OR "hoa"', "duc:* | hoa", "(duc) & !hoa", "'; DROP TABLE core_unit; --", '"']:
        fulltext.search(Unit.objects.all(), text).count()  # no syntax error on either database
    assert found('"duc" OR "hoa"') == []  # "or" is a word that no row holds
    assert found("") == found("   ") == sorted(names(Unit.objects.filter(code__startswith="S")))


def test_the_index_follows_every_write(units: None) -> None:
    unit = Unit.objects.get(name="Sở Nông nghiệp")
    unit.name = "Sở Tài chính"
    unit.save()
    assert found("nong nghiep") == [] and found("tai chinh") == ["Sở Tài chính"]
    Unit.objects.bulk_create(
        [Unit(code="S-BULK", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT, search_text="so xay dung")]
    )
    assert found("xay dung") == ["Sở Xây dựng"]
    Unit.objects.filter(code="S-BULK").delete()
    assert found("xay dung") == []


def test_every_searched_table_has_its_index(org: Org) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%\\_search\\_vector"]
            )
            present = {row[0] for row in cursor.fetchall()}
            assert {f"{table}_search_vector" for table in fulltext.SEARCHED_TABLES} <= present
            # The stored vector is the database's own, from search_text.
            cursor.execute(
                "SELECT table_name FROM information_schema.columns "
                "WHERE column_name = 'search_vector' AND is_generated = 'ALWAYS'"
            )
            assert set(fulltext.SEARCHED_TABLES) <= {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            present = {row[0] for row in cursor.fetchall()}
            for table in fulltext.SEARCHED_TABLES:
                # A migration that rebuilds the table on SQLite drops its triggers: install them again.
                assert {
                    f"{table}_fts",
                    *(f"{table}_fts_{event}" for event in ("insert", "delete", "update")),
                } <= present


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigrams are PostgreSQL's (pg_trgm)")
def test_a_misspelt_name_finds_the_closest_names_when_nothing_matches(units: None) -> None:
    assert found("nong nghiep", fuzzy=True) == found("nong nghiep") == ["Sở Nông nghiệp"]  # no guessing
    assert found("nong ngheip", fuzzy=True) == ["Sở Nông nghiệp"] and found("nong ngheip") == []
    assert found("xyz qwv", fuzzy=True) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%\\_trgm"])
        assert {f"{table}_trgm" for table in fulltext.TRIGRAM_TABLES} <= {row[0] for row in cursor.fetchall()}


def test_the_unit_tree_triggers_are_in_place(org: Org) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_unit'::regclass")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_unit'")
        present = {row[0] for row in cursor.fetchall()}
    assert {"core_unit_ancestry_insert", "core_unit_ancestry_move"} <= present
