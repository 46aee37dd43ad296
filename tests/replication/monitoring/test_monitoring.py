"""Monitoring: the matrix and the laggards agree with a recount from the raw reports, only
Home Affairs and the leaders open them, and their query counts do not grow with the rows."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.core.months import add_months
from caicach.replication.cycles import last_closed_cycle
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    Assignment,
    Directive,
    Obligation,
    Practice,
    ReplicationSettings,
    ReplicationSummary,
    ReportingCycle,
    TargetGroup,
)
from caicach.replication.monitoring import queries
from caicach.replication.monitoring.queries import CURRENT, NEVER, OLD, Filters
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

TODAY = datetime.date(2025, 2, 10)
d = datetime.date
QUARTERS = [d(2024, 1, 1), d(2024, 4, 1), d(2024, 7, 1), d(2024, 10, 1), d(2025, 1, 1)]
MONTHS = [d(2024, 9, 1), d(2024, 10, 1), d(2024, 11, 1), d(2024, 12, 1), d(2025, 1, 1)]
STATES = [AdoptionReportStatus.SUBMITTED] * 3 + [AdoptionReportStatus.DRAFT, AdoptionReportStatus.RETURNED]
Cells = dict[tuple[int, int], tuple[str | None, str]]


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _scene(org: Org, seed: int, units: int = 14) -> list[Obligation]:
    """A random but realistic mix: departments and communes obliged on three practices under
    one quarterly directive (one assignment reporting monthly), reports submitted, drafted
    or returned over 2024, some units silent."""
    rng = random.Random(seed)
    directive = make_directive(org, issued_on=d(2024, 1, 10))
    practices = [make_practice(org, name=f"Mô hình số {n}") for n in range(3)]
    monthly = Assignment.objects.create(
        directive=directive, target_group=TargetGroup.DEPARTMENTS, reporting_cycle=ReportingCycle.MONTHLY
    )
    obligations: list[Obligation] = []
    for n in range(units):
        kind = UnitKind.DEPARTMENT if n % 2 else UnitKind.COMMUNE_COMMITTEE
        unit = make_unit(f"RC{seed}{n:02d}", name=f"Đơn vị kiểm đếm {n:02d}", kind=kind, parent=org.province)
        for practice in rng.sample(practices, rng.randint(1, 3)):
            starts = rng.choice([d(2024, 1, 10), d(2024, 6, 1), d(2024, 11, 20), d(2025, 1, 5)])
            obligation = make_obligation(
                directive,
                unit,
                practice,
                starts_on=starts,
                assignment=monthly if kind == UnitKind.DEPARTMENT and rng.random() < 0.3 else None,
            )
            obligations.append(obligation)
            quarters = [
                (d(2024, m, 1), add_months(d(2024, m, 1), 3) - datetime.timedelta(days=1))
                for m in (1, 4, 7, 10)
            ]
            quarters.append((d(2025, 1, 1), d(2025, 3, 31)))
            months = [
                (d(2024, m, 1), add_months(d(2024, m, 1), 1) - datetime.timedelta(days=1))
                for m in range(9, 13)
            ]
            months.append((d(2025, 1, 1), d(2025, 1, 31)))
            periods = months if obligation.assignment_id == monthly.pk else quarters
            for start, end in periods:
                if end < starts or rng.random() < 0.3:
                    continue
                make_report(
                    obligation,
                    start,
                    end,
                    adoption_status=rng.choice(AdoptionStatus.values),
                    status=rng.choice(
                        [AdoptionReportStatus.SUBMITTED] * 3
                        + [AdoptionReportStatus.DRAFT, AdoptionReportStatus.RETURNED]
                    ),
                )
    # One obligation handed to a successor: it leaves the matrix and the laggards.
    obligations[0].ended_on = d(2024, 12, 31)
    obligations[0].save(update_fields=["ended_on"])
    return obligations


def _recount(
    today: datetime.date,
) -> tuple[dict[tuple[int, int], tuple[str | None, str]], dict[int, set[str]]]:
    """Cells and laggards by plain loops over the raw rows."""
    months = {row.unit_id: row.laggard_not_started_months for row in ReplicationSettings.objects.all()}
    cells: Cells = {}
    lag: dict[int, set[str]] = {}
    for obligation in Obligation.objects.select_related("assignment__directive"):
        if obligation.ended_on is not None:
            continue
        kind = obligation.assignment.reporting_cycle or obligation.assignment.directive.reporting_cycle
        # What ``today`` saw: the reports sent on cycles that had begun.
        submitted = [
            r
            for r in AdoptionReport.objects.filter(obligation=obligation)
            if r.status == "submitted" and r.period_start <= today
        ]
        latest = max(submitted, key=lambda r: r.period_start, default=None)
        last = last_closed_cycle(today, kind)
        if latest is None:
            cells[(obligation.unit_id, obligation.practice_id)] = (None, NEVER)
        else:
            fresh = CURRENT if latest.period_start >= last.start else OLD
            cells[(obligation.unit_id, obligation.practice_id)] = (latest.adoption_status, fresh)
        why: set[str] = set()
        if obligation.starts_on <= last.end and not any(r.period_start == last.start for r in submitted):
            why.add("missing")
        limit = months.get(obligation.directive.issuing_unit_id, 6)
        if (latest is None or latest.adoption_status == "not_started") and obligation.starts_on <= add_months(
            today, -limit
        ):
            why.add("not_started")
        if latest is not None and latest.adoption_status == "stopped":
            why.add("stopped")
        if why:
            lag[obligation.pk] = why
    return cells, lag


# A past day sees fewer reports than the obligations keep (``last_submitted``): the queries
# then look the older ones up.
@pytest.mark.parametrize(
    ("seed", "today"), [(1, TODAY), (2, TODAY), (3, TODAY), (5, d(2024, 8, 20)), (6, d(2024, 11, 4))]
)
def test_the_matrix_and_the_laggards_match_a_recount_from_the_raw_reports(
    org: Org, people: People, seed: int, today: datetime.date
) -> None:
    _scene(org, seed)
    if seed == 3:  # a committee that sets its own "not started" limit
        ReplicationSettings.objects.create(unit=org.province, laggard_not_started_months=2)
    with on_day(today):
        cells, lag = _recount(today)
        table = queries.matrix(people.reform_officer, Filters(), today, 1)
        shown = _cells_shown(table)
        found = {
            o.pk: {
                name
                for name, flag in (
                    ("missing", o.missing_last),  # type: ignore[attr-defined]
                    ("not_started", o.not_started_long),  # type: ignore[attr-defined]
                    ("stopped", o.stopped),  # type: ignore[attr-defined]
                )
                if flag
            }
            for o in queries.laggards(people.reform_officer, Filters(), today)
        }
    assert shown == cells
    assert found == lag
    assert lag, "the scene holds laggards"
    statuses = {status for status, _ in cells.values()}
    if today == TODAY:
        assert statuses >= {None, "applied", "stopped"}
    else:
        assert statuses >= {None, "applied"}
        kept = Obligation.objects.filter(last_submitted_period__gt=today)
        assert kept.exists(), "some obligations keep a report sent after the day looked at"


def test_filters_narrow_by_group_and_directive(org: Org, people: People) -> None:
    _scene(org, 4)
    with on_day(TODAY):
        departments = queries.matrix(people.reform_officer, Filters(group="departments"), TODAY, 1)
        other = make_directive(org, title="Văn bản khác")
        only_other = queries.matrix(people.reform_officer, Filters(directive=other), TODAY, 1)
    assert departments.rows and all(row.unit.kind == UnitKind.DEPARTMENT for row in departments.rows)
    assert only_other.rows == []


def test_the_matrix_shows_the_practices_of_its_page_of_units(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    obligations = _scene(org, 7)
    monkeypatch.setattr(queries, "UNITS_PER_PAGE", 3)
    with on_day(TODAY):
        pages = [queries.matrix(people.reform_officer, Filters(), TODAY, n) for n in (1, 2, 3, 4, 5)]
    for table in pages:
        units = {row.unit.pk for row in table.rows}
        obliged = {o.practice_id for o in obligations if o.unit_id in units and o.ended_on is None}
        assert {practice.pk for practice in table.practices} == obliged
        assert all(any(cell is not None for cell in row.cells) for row in table.rows)
    assert len({len(table.practices) for table in pages}) > 1, "pages differ in their columns"


def _cells_shown(table: queries.Matrix) -> Cells:
    return {
        (row.unit.pk, practice.pk): (cell.status, cell.freshness)
        for row in table.rows
        for practice, cell in zip(table.practices, row.cells, strict=True)
        if cell is not None
    }


def _district_officer(org: Org) -> User:
    """A reform officer of the district's Home Affairs office: a scope the province's pages must not show."""
    return person("cvnoivu.huyen", org.district_home_affairs, Role.REFORM_OFFICER)


def test_a_page_of_the_matrix_is_kept_until_a_report_is_written_and_read_anew_for_another_day_or_scope(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    _scene(org, 9, units=8)
    district_officer = _district_officer(org)
    with on_day(TODAY):
        first = queries.matrix(people.reform_officer, Filters(), TODAY, 1)
        with django_assert_num_queries(0):
            again = queries.matrix(people.reform_officer, Filters(), TODAY, 1)
        assert (again.practices, again.rows) == (first.practices, first.rows)
        assert _cells_shown(first) == _recount(TODAY)[0]
        assert [row.unit.name for row in first.rows] == sorted(
            Unit.objects.filter(name__startswith="Đơn vị kiểm đếm").values_list("name", flat=True)
        )
        assert first.page.paginator.count == len(first.rows) and first.page.number == 1
        # Another scope is read through its own rules, not the officer's page.
        assert queries.matrix(district_officer, Filters(), TODAY, 1).rows == []
        # A silent unit reports on the cycle that just closed: its cell says so at once.
        silent = next(key for key, (status, _) in _cells_shown(first).items() if status is None)
        obligation = Obligation.objects.select_related("assignment__directive").get(
            unit_id=silent[0], practice_id=silent[1], ended_on=None
        )
        kind = obligation.assignment.reporting_cycle or obligation.assignment.directive.reporting_cycle
        cycle = last_closed_cycle(TODAY, kind)
        make_report(obligation, cycle.start, cycle.end, adoption_status=AdoptionStatus.APPLIED)
        after = queries.matrix(people.reform_officer, Filters(), TODAY, 1)
    assert _cells_shown(after)[silent] == (AdoptionStatus.APPLIED, CURRENT)
    assert _cells_shown(after) == _recount(TODAY)[0]
    # A later day reads the cells again: the report is no longer on the last closed cycle.
    later = add_months(TODAY, 6)
    with on_day(later):
        assert _cells_shown(queries.matrix(people.reform_officer, Filters(), later, 1)) == _recount(later)[0]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("reform_officer", 200), ("leader", 200), ("admin", 200), ("unit_staff", 404), ("outsider", 404)],
)
@pytest.mark.parametrize(
    "name", ["monitoring_matrix", "monitoring_laggards", "monitoring_laggards_export", "monitoring_rates"]
)
def test_only_home_affairs_and_the_leaders_open_monitoring(
    client: Client, org: Org, people: People, who: str, expected: int, name: str
) -> None:
    _scene(org, 5, units=3)
    with on_day(TODAY):
        response = login(client, getattr(people, who)).get(reverse(f"replication:{name}"))
    assert response.status_code == expected


def test_a_district_officer_sees_only_the_district_and_anonymous_visitors_are_sent_to_log_in(
    client: Client, org: Org, people: People
) -> None:
    _scene(org, 6, units=4)
    district_officer = _district_officer(org)
    with on_day(TODAY):
        assert queries.matrix(district_officer, Filters(), TODAY, 1).rows == []
        response = Client().get(reverse("replication:monitoring_matrix"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_pages_have_query_ceilings_constant_in_rows(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _scene(org, 7, units=30)
    login(client, people.reform_officer)
    with on_day(TODAY):
        with django_assert_max_num_queries(14):
            page = client.get(reverse("replication:monitoring_matrix")).content.decode()
        with django_assert_max_num_queries(14):
            laggards = client.get(reverse("replication:monitoring_laggards")).content.decode()
    assert page.count("Đơn vị kiểm đếm") >= 30
    assert "Không báo cáo kỳ vừa qua" in laggards or "Chưa triển khai sau thời gian quy định" in laggards
    with on_day(TODAY):
        found = list(queries.laggards(people.reform_officer, Filters(), TODAY))
    units = len({obligation.unit_id for obligation in found})
    assert len(found) > units > 1  # several laggards per unit: the two counts differ
    assert f"{units} đơn vị, tính đến ngày" in laggards
    assert f"trong tổng số {len(found)}" in laggards or len(found) <= queries.LAGGARDS_PER_PAGE


def test_the_laggard_export_lists_every_laggard_with_its_reasons(
    client: Client, org: Org, people: People
) -> None:
    _scene(org, 8)
    with on_day(TODAY):
        expected = queries.laggards(people.reform_officer, Filters(), TODAY).count()
        response = login(client, people.reform_officer).get(reverse("replication:monitoring_laggards_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]
    assert len(rows) == expected
    assert all(row[7] for row in rows)


def test_an_obliged_unit_in_a_district_shows_under_its_area(org: Org, people: People) -> None:
    commune = make_unit(
        "CTH-X1",
        name="UBND xã Thanh Điền (huyện Châu Thành)",
        kind=UnitKind.COMMUNE_COMMITTEE,
        parent=org.district,
    )
    directive = make_directive(org)
    make_obligation(directive, commune, make_practice(org))
    make_obligation(directive, org.science, make_practice(org))
    with on_day(TODAY):
        area = queries.matrix(
            people.reform_officer, Filters(area=Unit.objects.get(pk=org.district.pk)), TODAY, 1
        )
        choices = list(queries.area_choices(people.reform_officer))
    assert [row.unit.pk for row in area.rows] == [commune.pk]
    assert choices == [org.district]


def _rate_recount(
    cycle: Any, obligations: list[Obligation]
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Per practice and per unit group, (obliged, adopted) in ``cycle``, from the raw reports."""
    names = {p.pk: p.name for p in Practice.objects.all()}
    expected: dict[str, tuple[int, int]] = {}
    by_group: dict[str, tuple[int, int]] = {}
    for obligation in obligations:
        if obligation.starts_on > cycle.end or (obligation.ended_on and obligation.ended_on < cycle.start):
            continue
        reports = [
            r
            for r in AdoptionReport.objects.filter(obligation=obligation)
            if r.status == "submitted" and r.period_start <= cycle.end
        ]
        latest = max(reports, key=lambda r: r.period_start, default=None)
        done = latest is not None and latest.adoption_status in ("applied", "applied_widely")
        total, adopted = expected.get(names[obligation.practice_id], (0, 0))
        expected[names[obligation.practice_id]] = (total + 1, adopted + int(done))
        group = str(queries.GROUP_LABELS[queries._group_of(obligation.unit.kind) or ""])
        total, adopted = by_group.get(group, (0, 0))
        by_group[group] = (total + 1, adopted + int(done))
    return expected, by_group


def _shown(rows: list[Any], index: int) -> dict[str, tuple[int, int]]:
    return {
        row.label: (row.rates[index].obliged, row.rates[index].adopted) for row in rows if row.rates[index]
    }


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_adoption_rates_per_quarter_match_a_rate_recount(org: Org, people: People, seed: int) -> None:
    _scene(org, seed)
    with on_day(TODAY):
        rates = queries.adoption_rates(people.reform_officer, Filters(), TODAY)
    obligations = list(Obligation.objects.select_related("unit"))
    for index, cycle in enumerate(rates.cycles):
        expected, by_group = _rate_recount(cycle, obligations)
        assert _shown(rates.practices, index) == expected
        assert _shown(rates.groups, index) == by_group
    assert any(rate and rate.adopted for row in rates.practices for rate in row.rates)


@pytest.mark.parametrize("seed", [12, 13])
def test_filtered_adoption_rates_count_only_the_filtered_units_reports(
    org: Org, people: People, seed: int
) -> None:
    """Both statements apply the filters: the reports' own (on their join to the obligations)
    must not count a commune's report under a filter for the departments, nor another
    directive's under a filter for one."""
    _scene(org, seed)
    other = make_directive(org, issued_on=d(2024, 2, 1))
    extra = make_unit(f"RX{seed}", name="Sở kiểm đếm thêm", kind=UnitKind.DEPARTMENT, parent=org.province)
    stray = make_obligation(other, extra, Practice.objects.order_by("pk")[0], starts_on=d(2024, 2, 1))
    make_report(stray, d(2024, 1, 1), d(2024, 3, 31))
    directive = Directive.objects.exclude(pk=other.pk).get()
    obligations = list(Obligation.objects.select_related("unit"))
    departments = [o for o in obligations if o.unit.kind in queries.GROUPS["departments"]]
    own = [o for o in obligations if o.directive_id == directive.pk]
    with on_day(TODAY):
        by_group = queries.adoption_rates(people.reform_officer, Filters(group="departments"), TODAY)
        by_directive = queries.adoption_rates(people.reform_officer, Filters(directive=directive), TODAY)
    for index, cycle in enumerate(by_group.cycles):
        assert _shown(by_group.practices, index) == _rate_recount(cycle, departments)[0]
        assert _shown(by_directive.practices, index) == _rate_recount(cycle, own)[0]
    assert any(rate and rate.adopted for row in by_group.practices for rate in row.rates)


def test_the_rates_page_has_a_query_ceiling(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _scene(org, 10, units=20)
    login(client, people.reform_officer)
    with on_day(TODAY), django_assert_max_num_queries(30):
        page = client.get(reverse("replication:monitoring_rates")).content.decode()
    assert "Mô hình số 0" in page and "<polyline" in page


def test_the_rates_page_shows_its_practices_a_page_at_a_time(
    client: Client, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scene(org, 10, units=20)
    monkeypatch.setattr(queries, "RATE_PRACTICES_PER_PAGE", 2)
    login(client, people.reform_officer)
    url = reverse("replication:monitoring_rates")
    with on_day(TODAY):
        first = client.get(url).content.decode()
        second = client.get(url, {"page": 2}).content.decode()
    assert "Mô hình số 0" in first and "Mô hình số 1" in first and "Mô hình số 2" not in first
    assert "Mô hình số 2" in second and "Mô hình số 0" not in second
    assert "Trang 1/2" in first and "Trang 2/2" in second


@pytest.mark.parametrize(
    ("seed", "start", "end"), [(14, d(2024, 4, 1), d(2024, 6, 30)), (15, d(2024, 1, 1), d(2024, 12, 31))]
)
def test_the_summary_figures_match_a_recount(
    org: Org, people: People, seed: int, start: datetime.date, end: datetime.date
) -> None:
    """Per practice: the obligations in force in the period, those with a report sent on a
    cycle of the period, those whose latest report by its end says applied; and the units."""
    _scene(org, seed)
    summary = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs, period_start=start, period_end=end
    )
    with on_day(TODAY):
        data = queries.summary_data(summary)
    expected: dict[str, tuple[int, int, int]] = {}
    units: set[int] = set()
    reporting: set[int] = set()
    for obligation in Obligation.objects.select_related("practice"):
        if obligation.starts_on > end or (obligation.ended_on and obligation.ended_on < start):
            continue
        sent = [r for r in AdoptionReport.objects.filter(obligation=obligation) if r.status == "submitted"]
        in_period = any(start <= r.period_start <= end for r in sent)
        latest = max((r for r in sent if r.period_start <= end), key=lambda r: r.period_start, default=None)
        applied = latest is not None and latest.adoption_status in ("applied", "applied_widely")
        obliged, reported, adopted = expected.get(obligation.practice.name, (0, 0, 0))
        expected[obligation.practice.name] = (obliged + 1, reported + in_period, adopted + applied)
        units.add(obligation.unit_id)
        if in_period:
            reporting.add(obligation.unit_id)
    assert {f.practice.name: (f.obliged, f.reported, f.adopted) for f in data.figures} == expected
    assert [f.practice.name for f in data.figures] == sorted(expected)
    assert (data.units_obliged, data.units_reporting) == (len(units), len(reporting))
    assert any(f.adopted for f in data.figures) and data.units_reporting


def test_a_matrix_cell_says_the_status_in_words_and_colour_how_fresh_and_links_the_report() -> None:
    from caicach.replication.templatetags.replication_monitoring import matrix_cells

    applied = queries.Cell("applied", "Đã áp dụng", CURRENT, d(2024, 10, 1), 7, "")
    stopped = queries.Cell("stopped", "Đã dừng <b>", OLD, d(2024, 1, 1), None, "study")
    silent = queries.Cell(None, "Chưa có báo cáo", NEVER, None, None, "")
    html = str(matrix_cells([applied, stopped, silent, None]))
    cells = html.split("</td>")
    assert cells[0] == (
        '<td><span class="badge badge-ok">Đã áp dụng</span>'
        '<div class="small muted">Kỳ gần nhất (từ 01/10/2024)</div>'
        f'<a class="small" href="{reverse("replication:report_detail", args=[7])}">Xem báo cáo</a>'
    )
    assert '<span class="badge badge-danger">Đã dừng &lt;b&gt;</span>' in cells[1]
    assert "Báo cáo cũ (kỳ từ 01/01/2024) · chủ trì nghiên cứu" in cells[1] and "href" not in cells[1]
    assert '<span class="badge badge-danger">Chưa có báo cáo</span>' in cells[2]
    assert "Không được giao" in cells[3] and html.count("<td>") == 4


def test_kept_rates_and_laggards_follow_a_sent_report_once_it_commits(
    client: Client,
    org: Org,
    people: People,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The scope-wide counts are kept (caicach.core.choices): asked again, they cost no
    statement; a report sent is counted as soon as its transaction commits."""
    _scene(org, 17)
    officer = people.reform_officer
    with on_day(TODAY):
        queries.adoption_rates(officer, Filters(), TODAY)
        with django_assert_num_queries(0):  # kept whole: counts, names and rates
            queries.adoption_rates(officer, Filters(), TODAY)
        keys, _units = queries.laggard_keys(officer, Filters(), TODAY)
        last = last_closed_cycle(TODAY, ReportingCycle.QUARTERLY)
        # A quarterly laggard with nothing sent since: an applied report on the last quarter
        # takes it off the list.
        late = next(
            o
            for o in queries.laggards(officer, Filters(), TODAY)
            if o.cycle_kind == ReportingCycle.QUARTERLY  # type: ignore[attr-defined]
            and (o.latest_period is None or o.latest_period < last.start)  # type: ignore[attr-defined]
            and not AdoptionReport.objects.filter(obligation=o, period_start=last.start).exists()
        )
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            make_report(late, last.start, last.end, adoption_status=AdoptionStatus.APPLIED_WIDELY)
        kept, units = queries.laggard_keys(officer, Filters(), TODAY)
        rates = queries.adoption_rates(officer, Filters(), TODAY)
        page = login(client, officer).get(reverse("replication:monitoring_laggards"))
    assert late.pk in keys and late.pk not in kept
    assert kept == list(queries.laggards(officer, Filters(), TODAY).values_list("pk", flat=True))
    assert units == queries.laggards(officer, Filters(), TODAY).values("unit_id").distinct().count()
    assert page.context["page_obj"].paginator.count == len(kept)
    obligations = list(Obligation.objects.select_related("unit"))
    for index, cycle in enumerate(rates.cycles):
        assert _shown(rates.practices, index) == _rate_recount(cycle, obligations)[0]


@pytest.mark.renew_on_commit
def test_kept_laggard_keys_are_each_the_filters_and_the_days_own(org: Org, people: People) -> None:
    """The laggards' keys are kept under the user's scope, the filters and the day: asked in
    turn for another directive, group or day, each answer is that question's recount."""
    _scene(org, 23)
    other = make_directive(org, title="Văn bản khác", issued_on=d(2024, 1, 10))
    make_obligation(other, org.science, make_practice(org, name="Mô hình khác"), starts_on=d(2024, 1, 10))
    officer = people.reform_officer
    asked = [
        (Filters(), TODAY),
        (Filters(directive=other), TODAY),
        (Filters(group="commune_committees"), TODAY),
        (Filters(), d(2024, 8, 20)),
    ]
    answers = []
    for filters, day in asked:
        with on_day(day):
            keys, units = queries.laggard_keys(officer, filters, day)
            recount = queries.laggards(officer, filters, day)
            assert keys == list(recount.values_list("pk", flat=True))
            assert units == recount.values("unit_id").distinct().count()
        answers.append(keys)
    assert len({tuple(keys) for keys in answers}) == len(asked)  # four different questions


@pytest.mark.renew_on_commit
def test_the_kept_laggards_page_is_the_recount_in_each_language_and_follows_a_commit(
    client: Client, org: Org, people: People, committed: Any
) -> None:
    """A page of laggards is kept as plain rows: they are the laggards' own (unit, practice,
    latest report, reasons), in the reader's language, and a report sent shows once it
    commits."""
    _scene(org, 31, units=8)
    officer = people.reform_officer
    login(client, officer)
    url = reverse("replication:monitoring_laggards")

    def shown() -> list[tuple[str, str, int | None, list[str]]]:
        rows = client.get(url).context["rows"]
        return [(r.unit_name, r.practice_name, r.latest_report, list(r.reasons)) for r in rows]

    def recount() -> list[tuple[str, str, int | None, list[str]]]:
        found = list(queries.laggards(officer, Filters(), TODAY)[: queries.LAGGARDS_PER_PAGE])
        return [(o.unit.name, o.practice.name, o.latest_report, queries.reasons(o)) for o in found]  # type: ignore[attr-defined]

    with on_day(TODAY):
        before = shown()
        assert before == recount() and before
        assert shown() == before  # read again from the cache
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(queries, "LAGGARDS_PER_PAGE", 3)
            pages = [client.get(url, {"page": n}).context["rows"] for n in (1, 2)]
        assert [[r.unit_name for r in rows] for rows in pages] == [
            [row[0] for row in before[:3]],
            [row[0] for row in before[3:6]],
        ]
        assert pages[0] != pages[1]
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        english = client.get(url).content.decode()
        english_of = {
            "Không báo cáo kỳ vừa qua": "Did not report for the last cycle",
            "Chưa triển khai sau thời gian quy định": "Not implemented after the required time",
            "Đã dừng triển khai": "Implementation stopped",
        }
        for reason in {reason for row in before for reason in row[3]}:
            assert english_of[reason] in english and reason not in english  # not the kept Vietnamese
        client.post(reverse("set_language"), {"language": "vi", "next": "/"})
        first = Obligation.objects.get(pk=queries.laggard_keys(officer, Filters(), TODAY)[0][0])
        last = last_closed_cycle(
            TODAY, first.cycle_kind if hasattr(first, "cycle_kind") else ReportingCycle.QUARTERLY
        )
        with committed():
            make_report(first, last.start, last.end, adoption_status=AdoptionStatus.APPLIED_WIDELY)
        after = shown()
    assert after == recount() and after != before
