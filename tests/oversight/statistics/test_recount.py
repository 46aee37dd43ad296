"""The figures of the statistics page and of its workbook match an independent recount in
plain Python from the task rows — not through ``timeliness_expression`` — and the two
readings of the timeliness rule (``timeliness_of``, ``timeliness_expression``) agree."""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.oversight.models import Extension, ExtensionStatus, Task
from caicach.oversight.statistics import queries
from caicach.oversight.timeliness import Against, timeliness_expression, timeliness_of
from tests.conftest import Org, People, on_day
from tests.oversight.statistics.factories import TODAY, mixed_dataset

NAMES = ("assigned", "done_on_time", "done_late", "overdue", "not_yet_due", "extended", "cancelled")


def recount_class(task: Task, today: datetime.date) -> str:
    """The national classes read against the original deadline, from the definition."""
    if task.status == "cancelled":
        return "cancelled"
    if task.status == "done":
        assert task.done_on is not None
        return "done_on_time" if task.done_on <= task.original_deadline else "done_late"
    return "overdue" if task.original_deadline < today else "not_yet_due"


def recount(
    tasks: Iterable[Task],
    key: Callable[[Task], Any],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> dict[Any, tuple[int, ...]]:
    extended = set(
        Extension.objects.filter(status=ExtensionStatus.APPROVED).values_list("task_id", flat=True)
    )
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    for task in tasks:
        if not start <= task.original_deadline <= end:
            continue
        kind = recount_class(task, today)
        bucket = counts[key(task)]
        bucket[kind] += 1
        if kind != "cancelled":
            bucket["assigned"] += 1
            if task.pk in extended:
                bucket["extended"] += 1
    return {k: tuple(c[name] for name in NAMES) for k, c in counts.items()}


def rate(figures: tuple[int, ...]) -> Decimal | None:
    base = figures[1] + figures[2] + figures[3]
    if not base:
        return None
    return (Decimal(100 * figures[1]) / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


PERIODS = [
    ({"year": 2024}, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ({"year": 2024, "quarter": 4}, datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    ({"year": 2024, "month": 1}, datetime.date(2024, 1, 1), datetime.date(2024, 1, 31)),
    ({"from": "31/01/2024", "to": "01/04/2024"}, datetime.date(2024, 1, 31), datetime.date(2024, 4, 1)),
    ({"year": 2023}, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
]


@pytest.mark.parametrize(("query", "start", "end"), PERIODS)
def test_page_and_workbook_match_an_independent_recount(
    client: Client, org: Org, people: People, query: dict[str, Any], start: datetime.date, end: datetime.date
) -> None:
    data = mixed_dataset(org, people)
    province_tasks = [t for t in Task.objects.filter(committee=org.province)]
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"committee": org.province.pk, **query})
        workbook = client.get(
            reverse("oversight:statistics"), {"committee": org.province.pk, **query, "format": "xlsx"}
        )
    assert response.status_code == 200
    by_unit = recount(province_tasks, lambda t: t.lead_unit_id, start, end, TODAY)
    by_leader = recount(province_tasks, lambda t: t.assigned_by_id, start, end, TODAY)
    by_source = recount(province_tasks, lambda t: t.source, start, end, TODAY)
    by_month = recount(province_tasks, lambda t: t.original_deadline.replace(day=1), start, end, TODAY)
    total = recount(province_tasks, lambda t: "all", start, end, TODAY).get("all", (0,) * 7)

    page_units = {line["row"].key: line["row"].as_tuple() for line in response.context["units"]}
    assert page_units == by_unit
    assert {line["row"].key: line["row"].as_tuple() for line in response.context["leaders"]} == by_leader
    assert {line["row"].key: line["row"].as_tuple() for line in response.context["sources"]} == by_source
    months = {m.month: m.as_tuple() for m in response.context["months"] if any(m.as_tuple())}
    assert months == by_month
    assert response.context["total"].as_tuple() == total
    for line in response.context["units"]:
        assert line["row"].on_time_rate == rate(by_unit[line["row"].key])
    assert data.tasks  # the dataset is there whatever the period

    # The workbook: the same numbers, cell by cell, and the exact ratio.
    content = b"".join(workbook.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(content))
    sheet = book["Theo cơ quan chủ trì"]
    names = dict(Task.objects.values_list("lead_unit_id", "lead_unit__name").distinct())
    expected_rows = {names[key]: figures for key, figures in by_unit.items()}
    found: dict[str, tuple[int, ...]] = {}
    for row in sheet.iter_rows(min_row=6, values_only=True):
        name = str(row[1])
        if name in expected_rows:
            found[name] = tuple(int(value) for value in row[2:9])  # type: ignore[arg-type]
            figures = expected_rows[name]
            base = figures[1] + figures[2] + figures[3]
            assert row[9] == (pytest.approx(figures[1] / base, rel=1e-12) if base else None)
        elif row[1] == "Tổng cộng":
            assert tuple(row[2:9]) == total
    assert found == expected_rows


def test_rate_is_shown_the_vietnamese_way(client: Client, org: Org, people: People) -> None:
    mixed_dataset(org, people)
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"committee": org.province.pk, "year": 2024})
    rates = [line["rate"] for line in response.context["units"]]
    assert all(r == "—" or ("," in r and r.endswith("\u00a0%")) for r in rates), rates
    assert queries.rate_text(Decimal("85.7")) == "85,7\u00a0%"


def test_ranking_breaks_ties() -> None:
    rows = [
        queries.Row(key=1, label="B", done_on_time=2, overdue=2),  # 50 %
        queries.Row(key=2, label="A", done_on_time=1, overdue=1),  # 50 %, fewer on time
        queries.Row(key=3, label="C", done_on_time=2, done_late=2),  # 50 %, same as B but no overdue
        queries.Row(key=4, label="D", done_on_time=2, overdue=2),  # equal to B: shares its rank
        queries.Row(key=5, label="E", not_yet_due=3),  # nothing due yet: unranked
        queries.Row(key=6, label="F", done_on_time=3),  # 100 %
    ]
    ranked = queries.rank_rows(rows)
    assert [(r.key, r.rank) for r in ranked] == [(6, 1), (3, 2), (1, 3), (4, 3), (2, 5), (5, None)]


def test_timeliness_of_and_expression_agree_on_every_case(org: Org, people: People) -> None:
    mixed_dataset(org, people)
    soon = TODAY + datetime.timedelta(days=45)  # so that "due soon" happens too
    againsts: tuple[Against, ...] = ("deadline", "original_deadline")
    for against in againsts:
        for today in (TODAY, datetime.date(2024, 1, 1), datetime.date(2025, 2, 1)):
            expression = timeliness_expression(today=today, due_soon_until=soon, against=against)
            seen = set()
            for task in Task.objects.annotate(sql_class=expression):
                python = timeliness_of(task, today=today, due_soon_until=soon, against=against)
                assert task.sql_class == python.value, (task.pk, against, today)
                seen.add(python.value)
            if today == TODAY:
                assert seen == {
                    "done_on_time",
                    "done_late",
                    "overdue",
                    "due_soon",
                    "not_yet_due",
                    "cancelled",
                }


def test_every_number_leads_to_as_many_tasks(client: Client, org: Org, people: People) -> None:
    """The drill-down behind each number of the unit, leader and source tables lists exactly
    that many tasks."""
    mixed_dataset(org, people)
    client.force_login(people.office_officer)
    with on_day(TODAY):
        page = client.get(reverse("oversight:statistics"), {"committee": org.province.pk, "year": 2024})
        checked = 0
        for table in ("units", "leaders", "sources"):
            for line in page.context[table]:
                for cell in line["cells"]:
                    if not cell["url"]:
                        assert cell["value"] == 0
                        continue
                    listed = client.get(cell["url"])
                    assert listed.context["page_obj"].paginator.count == cell["value"], (table, cell)
                    checked += 1
    assert checked > 40


def test_a_unit_heads_workbook_holds_only_their_unit(client: Client, org: Org, people: People) -> None:
    mixed_dataset(org, people)
    client.force_login(people.unit_head)
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"year": "2024", "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert book.sheetnames == ["Theo cơ quan chủ trì", "Theo tháng"]
    names = {row[1] for row in book["Theo cơ quan chủ trì"].iter_rows(min_row=6, values_only=True)}
    assert names == {org.science.name, "Tổng cộng"}
