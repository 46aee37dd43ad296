"""The statistics page and the drill-down make the same number of queries for a few tasks
or many (one GROUP BY query per table)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from tests.conftest import Org, People, forget_kept, on_day
from tests.oversight.statistics.factories import TODAY, mixed_dataset


def _count(
    client: Client, url: str, params: dict[str, Any], django_assert_max_num_queries: Any, limit: int
) -> int:
    forget_kept()  # each visit counted as the first after a write: nothing kept from before
    with django_assert_max_num_queries(limit) as captured, on_day(TODAY):
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_rows(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    mixed_dataset(org, people)

    def pages(user: User) -> list[tuple[str, dict[str, Any]]]:
        whole = {"committee": org.province.pk} if user == people.office_officer else {}
        return [
            (reverse("oversight:statistics"), {**whole, "year": 2024}),
            (reverse("oversight:statistics_drill_down"), {**whole, "kpi": 1}),
            (reverse("oversight:statistics_drill_down"), {**whole, "timeliness": "overdue", "page": 2}),
        ]

    users = [people.office_officer, people.unit_head]
    before = {}
    for user in users:
        client.force_login(user)
        for url, params in pages(user):
            before[(user.pk, url, str(params))] = _count(
                client, url, params, django_assert_max_num_queries, 14
            )
    mixed_dataset(org, people, scale=3)  # four times the tasks, more leaders' rows
    for user in users:
        client.force_login(user)
        for url, params in pages(user):
            count = _count(client, url, params, django_assert_max_num_queries, 14)
            assert count == before[(user.pk, url, str(params))], (user.username, url, params)
