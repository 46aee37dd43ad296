"""The statistics page and the drill-down make the same number of queries for a few tasks
or many (one GROUP BY query per table)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskStatus
from caicach.oversight.statistics import queries
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


def test_figures_are_kept_until_a_task_is_written_and_read_anew_for_another_day_or_scope(
    org: Org, people: People, monkeypatch: Any
) -> None:
    """The page's four tables are counted once and read from the cache after; a task
    completed since, an extension approved since, another day, another period or another
    scope is counted anew."""
    dataset = mixed_dataset(org, people)
    forget_kept()
    province, year = Q(committee_id=org.province.pk), queries.year_period(2024)
    counted: list[str] = []
    original = queries.unit_rows

    def spy(scope: Q, period: queries.StatPeriod, *, today: datetime.date) -> list[queries.Row]:
        counted.append(str(scope))
        return original(scope, period, today=today)

    monkeypatch.setattr(queries, "unit_rows", spy)

    def figures(scope: Q = province, period: queries.StatPeriod = year, today: datetime.date = TODAY) -> Any:
        return queries.page_figures(scope, period, today=today, whole=True)

    first = figures()
    assert figures() == first and len(counted) == 1  # kept: nothing counted again
    assert first.units == original(province, year, today=TODAY)  # and what was kept is the count

    figures(today=TODAY + datetime.timedelta(days=1))  # classes read on another day
    figures(period=queries.quarter_period(2024, 1))
    heads = Q(lead_unit_id__in=[org.science.pk])
    assert [row.key for row in figures(scope=heads).units] == [org.science.pk]
    assert len(counted) == 4

    overdue = next(t for t in dataset.tasks if t.status == TaskStatus.IN_PROGRESS and t.deadline < TODAY)
    Task.objects.filter(pk=overdue.pk).update(status=TaskStatus.DONE, done_on=TODAY)
    after = figures()
    assert len(counted) == 5
    assert sum(r.overdue for r in after.units) == sum(r.overdue for r in first.units) - 1
    assert sum(r.done_late for r in after.units) == sum(r.done_late for r in first.units) + 1

    extended = sum(r.extended for r in after.units)
    done = [t for t in dataset.tasks if t.status == TaskStatus.DONE and t.committee_id == org.province.pk]
    Extension.objects.create(
        task=next(t for t in done if not t.extensions.exists()),
        reason="Gia hạn thêm",
        previous_deadline=TODAY,
        proposed_deadline=TODAY,
        status=ExtensionStatus.APPROVED,
        new_deadline=TODAY,
        decided_by=people.leader,
    )
    assert sum(r.extended for r in figures().units) == extended + 1
    assert len(counted) == 6
