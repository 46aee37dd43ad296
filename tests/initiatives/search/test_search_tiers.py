"""The list's search pages through tiers (caicach.core.search.Tiered): the title as typed,
then the phrase, then every word, each newest first; the pages follow each other across
the tiers without a gap or a repeat, the count stops at the cap ("Hơn … hồ sơ"), the query
count does not grow with the rows, and both plans (a wide list walking the indexes, a
narrow one sorting its own rows) give the same rows in the same order."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caicach.core import pagination
from caicach.core import search as fulltext
from caicach.core.pagination import CappedPaginator
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus
from caicach.initiatives.search import queries as search_queries
from caicach.initiatives.search import views as search_views
from caicach.initiatives.search.queries import InitiativeFilters
from tests.conftest import Org, People, forget_kept
from tests.initiatives.search.test_initiative_list import LIST, campaign, dossier

__all__ = ["campaign"]  # the fixture, imported for pytest

TYPED = "Nâng cao hiệu quả"


def made(campaign: Campaign, org: Org, title: str, days_ago: int, **fields: Any) -> Initiative:
    initiative = dossier(
        unit=org.science, campaign=campaign, title=title, status=InitiativeStatus.SUBMITTED, **fields
    )
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Initiative.objects.filter(pk=initiative.pk).update(created_at=moment)
    return initiative


@pytest.fixture
def tiered(campaign: Campaign, org: Org) -> dict[str, list[str]]:
    """Three rows in each tier, the tiers' ages interleaved so that newest-first alone would
    mix them, and rows that hold only some of the words."""
    tiers: dict[str, list[str]] = {"exact": [], "phrase": [], "words": []}
    for n in range(3):
        # Oldest of all: only the tier puts them first.
        tiers["exact"].append(made(campaign, org, f"{TYPED} tiếp công dân {n}", 30 + n).title)
        tiers["phrase"].append(
            made(campaign, org, f"Giải pháp số {n}", 10 + n, essence="Giúp nâng cao hiệu quả phục vụ").title
        )
        tiers["words"].append(
            made(campaign, org, f"Cải tiến {n}", n, essence="Hiệu quả cao, nâng mức hài lòng").title
        )
    made(campaign, org, "Nâng cao chất lượng", 0)  # not every word
    return tiers


def listed(client: Client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["page_obj"].object_list]


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "narrow"])
def test_the_tiers_come_in_order_each_newest_first(
    client: Client, people: People, tiered: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch, wide: bool
) -> None:
    monkeypatch.setattr(fulltext.Tiered, "wide", wide)
    client.force_login(people.reform_officer)
    expected = tiered["exact"] + tiered["phrase"] + tiered["words"]
    assert listed(client, f"q={TYPED}") == expected
    # Typed without diacritics, no title holds it as typed: the phrase (the titles among
    # them, older, after), then the words.
    assert listed(client, "q=nang cao hieu qua") == tiered["phrase"] + tiered["exact"] + tiered["words"]
    # The export keeps its one ranked query: the same tiers, in the same order here.
    rows = search_queries.initiative_rows(people.reform_officer, InitiativeFilters(text=TYPED))
    assert [row.title for row in rows] == expected


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "narrow"])
def test_pages_follow_each_other_across_the_tiers(
    campaign: Campaign,
    org: Org,
    people: People,
    tiered: dict[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    wide: bool,
) -> None:
    monkeypatch.setattr(fulltext.Tiered, "wide", wide)
    rows = search_queries.initiative_page_rows(people.reform_officer, InitiativeFilters(text=TYPED))
    assert isinstance(rows, fulltext.Tiered)
    paginator = CappedPaginator(rows, 2)
    pages = [[row.title for row in paginator.page(n).object_list] for n in paginator.page_range]
    assert paginator.count == 9 and [len(page) for page in pages] == [2, 2, 2, 2, 1]
    assert [title for page in pages for title in page] == tiered["exact"] + tiered["phrase"] + tiered["words"]
    # Any slice: what the ids of the whole list say.
    everything = rows.ids(0, 9)
    for start in range(9):
        for stop in range(start + 1, 11):
            assert rows.ids(start, stop) == everything[start:stop]


def test_the_count_stops_at_the_cap(
    client: Client, people: People, tiered: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(people.reform_officer)
    body = client.get(f"{LIST}?q={TYPED}").content.decode()
    assert "9 hồ sơ" in body and "Hơn" not in body.split("hồ sơ")[0][-20:]
    monkeypatch.setattr(search_views, "SEARCH_CAP", 4)
    response = client.get(f"{LIST}?q={TYPED}&page=2")
    body = response.content.decode()
    assert "Hơn 4 hồ sơ" in body
    titles = [row.title for row in response.context["page_obj"].object_list]
    assert titles == (tiered["exact"] + tiered["phrase"])[:4]  # the cap's rows, in order
    assert response.context["page_obj"].number == 1  # the last page the cap reaches


def test_a_search_page_has_a_fixed_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, tiered: dict[str, list[str]]
) -> None:
    client.force_login(people.reform_officer)
    path = f"{LIST}?q=nang cao hieu qua"
    client.get(path)
    forget_kept()  # the visit after a write: the counts and keys found again
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for n in range(40):
        made(campaign, org, f"{TYPED} {n}", 50 + n)
        made(campaign, org, f"Khác {n}", 60 + n, essence="nâng cao hiệu quả")
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    # Bounded whatever the rows: one query per tier at most (fewer once a tier fills the page).
    assert len(many) <= len(few)
    assert len(response.context["page_obj"].object_list) == 25


def test_one_word_has_no_third_tier(org: Org, people: People, tiered: dict[str, list[str]]) -> None:
    rows = search_queries.initiative_page_rows(people.reform_officer, InitiativeFilters(text="hiệu"))
    assert isinstance(rows, fulltext.Tiered)
    assert len(rows.tiers) == 2  # as typed, then every other row holding the word
    assert rows.count() == 9


def test_the_plain_list_pages_in_the_same_order_whichever_plan(
    client: Client, people: People, tiered: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(people.reform_officer)
    rows = search_queries.initiative_rows(people.reform_officer, InitiativeFilters())
    expected = [row.title for row in rows]
    assert listed(client, "") == expected
    for enough in (1, 10_000):  # walked (dense among the newest), sorted (sparse)
        monkeypatch.setattr(pagination, "WALK_ENOUGH", enough)
        assert listed(client, "") == expected


def test_a_search_pages_keys_are_kept_until_a_write_and_a_new_match_shows_at_once(
    client: Client, campaign: Campaign, org: Org, people: People, tiered: dict[str, list[str]]
) -> None:
    client.force_login(people.reform_officer)
    query = f"q={TYPED}"
    expected = tiered["exact"] + tiered["phrase"] + tiered["words"]
    assert listed(client, query) == expected
    with CaptureQueriesContext(connection) as again:
        assert listed(client, query) == expected
    # No tier is asked again: only the page's rows, by key.
    keys_only = 'SELECT "initiatives_initiative"."id" AS "pk" FROM'
    tier_queries = [q["sql"] for q in again if q["sql"].startswith(keys_only)]
    assert tier_queries == []
    newest = made(campaign, org, f"{TYPED} mới", 0).title
    assert listed(client, query) == [newest, *expected]
