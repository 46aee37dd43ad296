"""Every KPI figure matches a recount of the raw items in plain Python, following the
definitions in caicach/workprogram/reports/kpis.py word for word: per unit, for every month,
quarter and the year, on the queries, on the KPI page and in its .xlsx export."""

from __future__ import annotations

import calendar
import datetime
import io
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.core.models import Role, Unit, User
from caicach.workprogram.models import ItemStatus, ProgramItem, WorkProgram, WorkProgramSettings
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports.rules import kpi_covers, kpi_scope
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import random_items

TODAY = datetime.date(2024, 7, 20)
GRACE = 10
PERIOD_KEYS = kpis.period_keys()


@dataclass
class Dataset:
    program: WorkProgram
    units: list[Unit]
    leaders: list[User]
    items: list[ProgramItem]


@pytest.fixture
def dataset(org: Org, people: People) -> Dataset:
    units = [org.home_affairs, org.science, org.office, org.district, org.commune]
    units += [make_unit(f"KPI{n}", parent=org.province) for n in range(4)]
    second_leader = person("lanhdao2", org.province, Role.LEADER, full_name="Lê Phó Chủ Tịch")
    program = make_program(org.province)
    WorkProgramSettings.objects.create(unit=org.province, overdue_grace_days=GRACE)
    items = random_items(program, units, [people.leader, second_leader, None], count=420)
    # Another program's items must never leak into this one's figures.
    random_items(make_program(org.province, title="Chương trình khác"), units, [None], count=30, seed=7)
    return Dataset(program=program, units=units, leaders=[people.leader, second_leader], items=items)


# --- The recount: plain Python, straight from the definitions ---------------------------------


def months_of(key: str, year: int) -> set[datetime.date]:
    if key == "y":
        numbers = range(1, 13)
    elif key.startswith("q"):
        quarter = int(key[1:])
        numbers = range(3 * quarter - 2, 3 * quarter + 1)
    else:
        numbers = range(int(key[1:]), int(key[1:]) + 1)
    return {datetime.date(year, n, 1) for n in numbers}


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def recount(items: list[ProgramItem], months: set[datetime.date]) -> tuple[int, int, int, int, int, int]:
    def submitted_by_today(i: ProgramItem) -> bool:
        done = i.status in (ItemStatus.SUBMITTED, ItemStatus.ISSUED)
        return done and (i.submitted_on is None or i.submitted_on <= TODAY)

    due = [i for i in items if i.status != ItemStatus.WITHDRAWN and i.due_month in months]
    submitted = [i for i in due if submitted_by_today(i)]
    issued = [
        i
        for i in submitted
        if i.status == ItemStatus.ISSUED and (i.issued_on is None or i.issued_on <= TODAY)
    ]
    pending = [i for i in due if i.status != ItemStatus.POSTPONED and not submitted_by_today(i)]
    overdue = [i for i in pending if last_day(i.due_month) + datetime.timedelta(days=GRACE) < TODAY]
    on_time = [i for i in submitted if i.submitted_on is not None and i.submitted_on <= last_day(i.due_month)]
    return (len(due), len(submitted), len(issued), len(due) - len(submitted), len(overdue), len(on_time))


def pct(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_by_unit(items: list[ProgramItem], key: str, year: int) -> dict[int, tuple[int, ...]]:
    by_unit: dict[int, list[ProgramItem]] = defaultdict(list)
    for item in items:
        by_unit[item.lead_unit_id].append(item)
    months = months_of(key, year)
    out = {unit_id: recount(unit_items, months) for unit_id, unit_items in by_unit.items()}
    return {unit_id: figures for unit_id, figures in out.items() if figures[0]}


def observed(row: kpis.Figures) -> tuple[int, ...]:
    return row.as_tuple()


# --- The queries --------------------------------------------------------------------------------


def test_the_dataset_has_every_case_the_definitions_distinguish(dataset: Dataset) -> None:
    statuses = {item.status for item in dataset.items}
    assert statuses == set(ItemStatus.values)
    submitted = [i for i in dataset.items if i.status in (ItemStatus.SUBMITTED, ItemStatus.ISSUED)]
    assert any(i.submitted_on is None for i in submitted)
    assert any(i.submitted_on and i.submitted_on <= last_day(i.due_month) for i in submitted)
    assert any(i.submitted_on and i.submitted_on > last_day(i.due_month) for i in submitted)
    assert any(i.due_month != i.original_due_month for i in dataset.items)
    # Submitted (and issued) only after the day the figures are taken: not yet, on that day.
    assert any(i.submitted_on and i.submitted_on > TODAY for i in submitted)
    assert any(i.issued_on and i.submitted_on and i.submitted_on <= TODAY < i.issued_on for i in submitted)
    # Some planned items are within the grace days on TODAY, some past them.
    june = [
        i
        for i in dataset.items
        if i.status == ItemStatus.PLANNED and i.due_month == datetime.date(2024, 6, 1)
    ]
    assert june, "planned items due in June (within the grace days on 20/7)"


@pytest.mark.parametrize("key", PERIOD_KEYS)
def test_unit_figures_match_the_recount_for_every_period(dataset: Dataset, key: str) -> None:
    period = kpis.make_period(2024, key)
    rows = kpis.unit_figures(dataset.program, period, kpi_scope(_admin(), dataset.program), today=TODAY)
    got = {row.unit_id: observed(row) for row in rows}
    assert got == expected_by_unit(dataset.items, key, 2024)
    for row in rows:
        assert row.submitted_percent == pct(row.submitted, row.due)
        assert row.issued_percent == pct(row.issued, row.due)
        assert row.on_time_percent == pct(row.on_time, row.submitted)
    total = kpis.total_of(rows)
    assert total.as_tuple() == recount(dataset.items, months_of(key, 2024))


def test_the_month_series_and_running_totals_match_the_recount(dataset: Dataset) -> None:
    admin_scope = kpi_scope(_admin(), dataset.program)
    months = kpis.month_figures(dataset.program, admin_scope, today=TODAY)
    assert [m.month for m in months] == [datetime.date(2024, n, 1) for n in range(1, 13)]
    for month in months:
        assert month.as_tuple() == recount(dataset.items, {month.month}), month.month
    running = kpis.cumulative(months)
    for n, figures in enumerate(running, start=1):
        assert figures.as_tuple() == recount(
            dataset.items, {datetime.date(2024, m, 1) for m in range(1, n + 1)}
        )
    unit = dataset.units[1]
    own = [i for i in dataset.items if i.lead_unit_id == unit.pk]
    for month in kpis.month_figures(dataset.program, admin_scope, today=TODAY, unit_id=unit.pk):
        assert month.as_tuple() == recount(own, {month.month})


def test_a_unit_sees_its_own_figures_and_a_leader_the_whole_program_or_what_they_supervise(
    dataset: Dataset, people: People, org: Org
) -> None:
    year = kpis.make_period(2024, "y")
    staff_rows = kpis.unit_figures(
        dataset.program, year, kpi_scope(people.unit_staff, dataset.program), today=TODAY
    )
    assert {row.unit_id for row in staff_rows} == {org.science.pk}
    assert observed(staff_rows[0]) == expected_by_unit(dataset.items, "y", 2024)[org.science.pk]

    supervised = [i for i in dataset.items if i.supervising_leader_id == people.leader.pk]
    leader_scope = kpi_scope(people.leader, dataset.program)
    leader_rows = kpis.unit_figures(dataset.program, year, leader_scope, today=TODAY)
    assert {row.unit_id: observed(row) for row in leader_rows} == expected_by_unit(dataset.items, "y", 2024)
    # The vice-chairman's "Tôi phụ trách" narrows the same scope to the supervised items.
    mine = leader_scope & Q(supervising_leader_id=people.leader.pk)
    mine_rows = kpis.unit_figures(dataset.program, year, mine, today=TODAY)
    assert {row.unit_id: observed(row) for row in mine_rows} == expected_by_unit(supervised, "y", 2024)

    assert (
        kpis.unit_figures(dataset.program, year, kpi_scope(people.outsider, dataset.program), today=TODAY)
        == []
    )


def test_the_scope_query_and_the_per_item_rule_agree(dataset: Dataset, people: People) -> None:
    program = dataset.program
    for user in (
        people.admin,
        people.office_officer,
        people.unit_staff,
        people.unit_head,
        people.leader,
        people.outsider,
        people.reform_officer,
    ):
        in_query = set(
            ProgramItem.objects.filter(program=program)
            .filter(kpi_scope(user, program))
            .values_list("pk", flat=True)
        )
        by_rule = {
            item.pk
            for item in ProgramItem.objects.filter(program=program).select_related("program")
            if kpi_covers(user, item)
        }
        assert in_query == by_rule, user.username


def test_units_are_ranked_best_first_with_shared_ranks_for_ties(dataset: Dataset) -> None:
    rows = kpis.unit_figures(
        dataset.program, kpis.make_period(2024, "y"), kpi_scope(_admin(), dataset.program), today=TODAY
    )
    ranked = [row for row in rows if row.rank is not None]
    keys = [kpis.rank_key(row) for row in ranked]
    assert keys == sorted(keys)
    assert ranked[0].rank == 1
    for before, after in itertools.pairwise(ranked):
        assert after.rank == (
            before.rank if kpis.rank_key(after) == kpis.rank_key(before) else ranked.index(after) + 1
        )


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    rows = [
        kpis.UnitFigures(unit_id=1, unit_code="A", due=4, submitted=2),
        kpis.UnitFigures(unit_id=2, unit_code="B", due=2, submitted=1),
        kpis.UnitFigures(unit_id=3, unit_code="C", due=1, submitted=1),
        kpis.UnitFigures(unit_id=4, unit_code="D", due=3, submitted=0),
        kpis.UnitFigures(unit_id=5, unit_code="E", due=0),
    ]
    ranked = kpis.rank_units(rows)
    assert [(row.unit_code, row.rank) for row in ranked] == [
        ("C", 1),
        ("A", 2),
        ("B", 2),
        ("D", 4),
        ("E", None),
    ]


def _admin() -> User:
    return User.objects.get(username="quantri")


# --- The page and its export -------------------------------------------------------------------


def kpi_url(program: WorkProgram, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("workprogram:kpi", kwargs={"pk": program.pk}) + (f"?{query}" if query else "")


@pytest.mark.parametrize("key", ["y", "q3", "m6"])
def test_the_kpi_page_shows_the_recounted_figures(
    client: Client, dataset: Dataset, people: People, key: str
) -> None:
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(kpi_url(dataset.program, period=key))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row.unit_id: observed(row) for row in rows} == expected_by_unit(dataset.items, key, 2024)
    assert response.context["total"].as_tuple() == recount(dataset.items, months_of(key, 2024))
    body = response.content.decode()
    total = recount(dataset.items, months_of(key, 2024))
    assert f'data-total-due="{total[0]}"' in body
    assert f'data-total-issued="{total[2]}"' in body


def test_the_xlsx_export_holds_the_same_figures(client: Client, dataset: Dataset, people: People) -> None:
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(kpi_url(dataset.program, period="q2", format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(n for n, row in enumerate(values) if row and row[0] == "Hạng")
    header = values[header_at]
    body = [row for row in values[header_at + 1 :] if row and row[1]]
    codes = {unit.name: unit.pk for unit in dataset.units}
    expected = expected_by_unit(dataset.items, "q2", 2024)
    got: dict[int, tuple[Any, ...]] = {}
    total_row: tuple[Any, ...] | None = None
    for row in body:
        if row[1] == "Tổng cộng":
            total_row = row
            continue
        got[codes[str(row[1])]] = tuple(row[2:8])
    assert header[2:8] == ("Phải trình", "Đã trình", "Đã ban hành", "Chưa trình", "Quá hạn", "Trình đúng hạn")
    assert got == expected
    assert total_row is not None and tuple(total_row[2:8]) == recount(dataset.items, months_of("q2", 2024))
    # Ratios are real numbers formatted as per cent, equal to the recount's.
    first = next(row for row in body if row[1] != "Tổng cộng")
    due, submitted = int(str(first[2])), int(str(first[3]))
    assert first[8] == pytest.approx(submitted / due)
