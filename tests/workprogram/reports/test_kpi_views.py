"""The KPI page's filters, the trend chart, the list of unfinished items for the monthly
meeting (grouped by lead unit with its head) and their .xlsx exports; rules and list
queries kept in step."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.core.models import Role
from caicach.core.permissions import can
from caicach.workprogram.models import ItemStatus, LineStatus, MonthlyReport, WorkProgram
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.charts import nice_ceiling, trend_chart
from caicach.workprogram.reports.queries import LineInput, ReportContent
from caicach.workprogram.reports.rules import expected_units, kpi_scope, report_units_for
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2024, 5, 20)


@pytest.fixture(autouse=True)
def _fixed_today() -> Iterator[None]:
    with on_day(TODAY):
        yield


@pytest.fixture
def program(org: Org, people: People) -> WorkProgram:
    program = make_program(org.province)
    jan, feb, mar, apr, may = (datetime.date(2024, m, 1) for m in range(1, 6))
    make_item(program, org.science, jan, title="Đề án A chậm", leader=people.leader)
    make_item(program, org.science, feb, status=ItemStatus.SUBMITTED, submitted_on=datetime.date(2024, 2, 27))
    make_item(
        program,
        org.science,
        mar,
        status=ItemStatus.ISSUED,
        submitted_on=datetime.date(2024, 4, 3),
        issued_on=datetime.date(2024, 4, 20),
    )
    make_item(program, org.science, may, title="Đề án B trong hạn")
    make_item(program, org.home_affairs, feb, title="Kế hoạch C chậm", leader=people.leader)
    make_item(program, org.home_affairs, apr, status=ItemStatus.WITHDRAWN, title="Đã rút")
    make_item(program, org.district, apr, title="Đề án D chậm")
    return program


def kpi(client: Client, program: WorkProgram, **params: str) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(reverse("workprogram:kpi", kwargs={"pk": program.pk}) + (f"?{query}" if query else ""))


def test_the_period_filter_picks_the_months(
    client: Client, program: WorkProgram, people: People, org: Org
) -> None:
    client.force_login(people.office_officer)
    year = kpi(client, program).context
    assert year["period"].key == "y" and year["total"].due == 6
    q1 = kpi(client, program, period="q1").context
    assert q1["total"].as_tuple() == (
        4,
        2,
        1,
        2,
        2,
        1,
    )  # due, submitted, issued, not submitted, overdue, on time
    april = kpi(client, program, period="m4")
    assert april.context["total"].due == 1
    assert "Tháng 4/2024" in april.content.decode()
    # Nonsense falls back to the year rather than failing.
    assert kpi(client, program, period="m13").context["period"].key == "y"


def test_the_chart_follows_the_chosen_unit_and_never_another_units_figures(
    client: Client, program: WorkProgram, people: People, org: Org
) -> None:
    client.force_login(people.office_officer)
    context = kpi(client, program, unit=str(org.science.pk)).context
    assert [m.due for m in context["months"]][:5] == [1, 1, 1, 0, 1]
    assert context["unit_name"] == org.science.name
    client.force_login(people.unit_staff)
    # Science staff may not chart Home Affairs: the choice is refused and their own figures shown.
    context = kpi(client, program, unit=str(org.home_affairs.pk)).context
    assert context["unit_name"] == ""
    assert sum(m.due for m in context["months"]) == 4


def test_a_leader_sees_the_figures_of_the_items_they_supervise(
    client: Client, program: WorkProgram, people: People, org: Org
) -> None:
    client.force_login(people.leader)
    context = kpi(client, program).context
    assert {row.unit_id: row.due for row in context["rows"]} == {org.science.pk: 1, org.home_affairs.pk: 1}
    assert context["sees_all"] is False


def test_the_chart_draws_bars_in_proportion_and_the_running_share() -> None:
    months = [
        kpis.MonthFigures(month=datetime.date(2024, m, 1), due=due, submitted=sub, issued=iss)
        for m, (due, sub, iss) in enumerate([(10, 5, 2), (0, 0, 0), (20, 20, 10)], start=1)
    ]
    chart = trend_chart(
        months, {"due": "Phải trình", "submitted": "Đã trình", "issued": "Đã ban hành", "running": "Tỷ lệ"}
    )
    assert (
        nice_ceiling(20) == 20
        and nice_ceiling(21) == 50
        and nice_ceiling(0) == 5
        and nice_ceiling(101) == 200
    )
    due_bars = [bar for bar in chart.bars if bar.css == "chart-due"]
    assert [bar.value for bar in due_bars] == [10, 0, 20]
    assert due_bars[2].height == pytest.approx(2 * due_bars[0].height)
    assert due_bars[1].height == 0
    assert all(bar.y + bar.height == pytest.approx(chart.baseline) for bar in chart.bars)
    # Running share submitted: 50% after January, still 50% in February, 25/30 in March.
    assert [p.title.split(": ")[1] for p in chart.points] == ["50,0%", "50,0%", "83,3%"]


def test_the_kpi_page_draws_an_svg_chart_without_javascript(
    client: Client, program: WorkProgram, people: People
) -> None:
    client.force_login(people.office_officer)
    body = kpi(client, program).content.decode()
    assert '<svg viewBox="0 0 760 300" role="img"' in body
    assert body.count('class="chart-due"') == 12
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    # Coordinates are written with a decimal point whatever the language (never "12,5").
    svg = body.split("<svg", 1)[1].split("</svg>", 1)[0]
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height|cx|cy)="([^"]*)"', svg)
    assert len(numbers) > 100
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numbers), numbers


def test_the_months_export_holds_the_month_figures(
    client: Client, program: WorkProgram, people: People
) -> None:
    client.force_login(people.office_officer)
    response = kpi(client, program, format="xlsx", table="months")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    header_at = next(n for n, row in enumerate(rows) if row and row[0] == "Tháng")
    body = rows[header_at + 1 : header_at + 13]
    months = kpis.month_figures(program, kpi_scope(people.admin, program), today=TODAY)
    assert [tuple(row[1:7]) for row in body] == [m.as_tuple() for m in months]
    assert body[0][0] == datetime.datetime(2024, 1, 1)
    assert rows[header_at + 13][0] == "Cả năm"


# --- Unfinished items for the monthly meeting ---------------------------------------------------------


def test_unfinished_items_are_grouped_by_lead_unit_with_the_heads_name_and_explanation(
    client: Client, program: WorkProgram, people: People, org: Org
) -> None:
    person("truongnoivu", org.home_affairs, Role.UNIT_HEAD, full_name="Trần Giám Đốc")
    late = program.items.get(title="Đề án A chậm")
    report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=program,
        unit=org.science,
        period=datetime.date(2024, 4, 1),
        content=ReportContent(
            "",
            "",
            tuple(
                LineInput(
                    item.pk,
                    LineStatus.DELAYED if item.pk == late.pk else LineStatus.DONE,
                    delay_cause="Chờ thẩm định" if item.pk == late.pk else "",
                    remedy="Đôn đốc" if item.pk == late.pk else "",
                    expected_date=datetime.date(2024, 6, 30) if item.pk == late.pk else None,
                )
                for item in report_queries.report_items(program, org.science, datetime.date(2024, 4, 1))
            ),
        ),
        version=None,
        at=datetime.datetime(2024, 4, 10, 9, tzinfo=VN),
    )
    client.force_login(people.office_officer)
    url = reverse("workprogram:kpi_unfinished", kwargs={"pk": program.pk})
    response = client.get(url + "?month=5")
    groups = response.context["groups"]
    by_unit = {group.unit_name: group for group in groups}
    assert set(by_unit) == {org.science.name, org.home_affairs.name, org.district.name}
    science = by_unit[org.science.name]
    assert science.heads == (people.unit_head.full_name,)
    assert [entry.title for entry in science.items] == ["Đề án A chậm", "Đề án B trong hạn"]
    assert [entry.is_overdue for entry in science.items] == [True, False]
    assert science.items[0].delay_cause == "Chờ thẩm định" and science.items[0].reported_in == datetime.date(
        2024, 4, 1
    )
    assert by_unit[org.home_affairs.name].heads == ("Trần Giám Đốc",)
    body = response.content.decode()
    assert "Phạm Thủ Trưởng" in body and "Chờ thẩm định" in body
    # April: the May item is not yet due.
    april = client.get(url + "?month=4").context["groups"]
    assert sum(len(group.items) for group in april) == 3

    export = client.get(url + "?month=5&format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    header_at = next(n for n, row in enumerate(rows) if row and row[0] == "STT")
    body_rows = [row for row in rows[header_at + 1 :] if row and row[0]]
    assert len(body_rows) == sum(len(group.items) for group in groups)
    first = next(row for row in body_rows if row[3] == "Đề án A chậm")
    assert first[1:3] == (org.science.name, people.unit_head.full_name)
    assert first[5:9] == ("Quá hạn", "Chờ thẩm định", "Đôn đốc", datetime.datetime(2024, 6, 30))


def test_a_unit_sees_only_its_own_unfinished_items(
    client: Client, program: WorkProgram, people: People, org: Org
) -> None:
    client.force_login(people.unit_head)
    groups = client.get(reverse("workprogram:kpi_unfinished", kwargs={"pk": program.pk})).context["groups"]
    assert [group.unit_id for group in groups] == [org.science.pk]


def test_the_unfinished_list_pages_through_lead_units_and_counts_them_all(
    client: Client, program: WorkProgram, people: People, org: Org, django_assert_max_num_queries: Any
) -> None:
    """A national program has thousands of lead units: the page shows 20 at a time (the most
    unfinished first), the totals and the Excel file cover every one."""
    units = [make_unit(f"UF{n:02d}", parent=org.province) for n in range(25)]
    for n, unit in enumerate(units):
        for _ in range(1 + n % 3):
            make_item(program, unit, datetime.date(2024, 2, 1))
    client.force_login(people.office_officer)
    url = reverse("workprogram:kpi_unfinished", kwargs={"pk": program.pk})
    client.get(url + "?month=5")
    with django_assert_max_num_queries(13):
        first = client.get(url + "?month=5")
    groups = first.context["groups"]
    assert len(groups) == 20
    counts = [len(group.items) for group in groups]
    assert counts == sorted(counts, reverse=True)
    total = 4 + sum(1 + n % 3 for n in range(25))  # the fixture's four and the new ones
    assert first.context["item_count"] == total
    second = client.get(url + "?month=5&page=2").context["groups"]
    assert len(second) == 28 - 20  # science, home affairs, the district and the 25 new units
    assert not {g.unit_id for g in groups} & {g.unit_id for g in second}
    assert sum(len(g.items) for g in groups + second) == total


def test_the_unfinished_page_is_kept_as_shown_until_a_write_to_what_it_read(
    program: WorkProgram, people: People, org: Org, django_assert_num_queries: Any
) -> None:
    """The page's totals and lead units are those the KPI definitions give, kept: a second
    look reads nothing; an item renamed or submitted since shows at once; a unit's head sees
    the unit's own page, not the Office's kept one; a page asked past the last is the last."""
    may = datetime.date(2024, 5, 1)
    officer = people.office_officer

    def expected(user: Any) -> list[tuple[int, str, list[str], list[tuple[str, str, bool]]]]:
        groups = kpis.unfinished_by_unit(program, may, kpi_scope(user, program), today=TODAY)
        return [
            (
                group.unit_id,
                group.unit_name,
                group.heads,
                [(e.item.title, e.item.get_absolute_url(), e.is_overdue) for e in group.items],
            )
            for group in groups
        ]

    def shown(page: Any) -> list[tuple[int, str, list[str], list[tuple[str, str, bool]]]]:
        return [
            (
                group.unit_id,
                group.unit_name,
                list(group.heads),
                [(e.title, e.url, e.is_overdue) for e in group.items],
            )
            for group in page.groups
        ]

    first = report_queries.unfinished_page(officer, program, may, today=TODAY, page=None)
    with django_assert_num_queries(0):
        again = report_queries.unfinished_page(officer, program, may, today=TODAY, page=None)
    assert again == first and shown(first) == expected(officer)
    assert first.summary == kpis.unfinished_summary(program, may, kpi_scope(officer, program), today=TODAY)
    assert [
        group.unit_id
        for group in report_queries.unfinished_page(
            people.unit_head, program, may, today=TODAY, page=None
        ).groups
    ] == [org.science.pk]
    late = program.items.get(title="Đề án A chậm")
    late.title = "Đề án A chậm (đổi tên)"
    late.save(update_fields=["title"])
    renamed = report_queries.unfinished_page(officer, program, may, today=TODAY, page=None)
    assert shown(renamed) == expected(officer) and "Đề án A chậm (đổi tên)" in str(renamed.groups)
    program.items.filter(title="Đề án D chậm").update(status=ItemStatus.SUBMITTED, submitted_on=TODAY)
    after = report_queries.unfinished_page(officer, program, may, today=TODAY, page="nonsense")
    assert org.district.pk not in [group.unit_id for group in after.groups]
    assert shown(after) == expected(officer) and after.summary.item_count == first.summary.item_count - 1
    assert report_queries.unfinished_page(officer, program, may, today=TODAY, page="99").number == 1


# --- Rules and list queries in step -----------------------------------------------------------------


def test_the_report_list_query_and_the_report_rule_agree(
    program: WorkProgram, people: People, org: Org
) -> None:
    units = list(expected_units(program))
    for persona in (
        "admin",
        "office_officer",
        "unit_head",
        "unit_staff",
        "leader",
        "reform_officer",
        "council_member",
        "committee_member",
        "outsider",
    ):
        user = getattr(people, persona)
        listed = set(report_units_for(user, program))
        by_rule = {
            unit
            for unit in units
            if can(user, "view", MonthlyReport(program=program, unit=unit, period=datetime.date(2024, 1, 1)))
        }
        assert listed == by_rule, persona
        assert bool(listed) == can(user, "view_reports", program), persona
        assert can(user, "view_kpis", program) == program.items.filter(kpi_scope(user, program)).exists(), (
            persona
        )
