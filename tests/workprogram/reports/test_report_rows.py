"""The report list's tables as ``reports.rows`` writes them: the markup the template wrote
(rendered here from the template they replaced), each reader's actions, and the rows kept
until what they show changes."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import may_act_for
from caicach.workprogram.models import MonthlyReport, ReportStatus, WorkProgram
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports.rules import report_units_for
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2024, 3, 20)
# The tables as the list's template wrote them before ``reports.rows``: the reference.
REFERENCE = (Path(__file__).parent / "report_rows_reference.html").read_text(encoding="utf-8")


@dataclass
class Scene:
    program: WorkProgram
    district_staff: User


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    """Science: January missing, February sent on time; the district's office: January sent
    late, February missing, March drafted."""
    program = make_bare_program(org.province)
    make_item(program, org.science, datetime.date(2024, 1, 1), title="Đề án <chuyển đổi số>")
    make_item(program, org.district_home_affairs, datetime.date(2024, 2, 1), title="Kế hoạch CCHC huyện")
    district_staff = person("canbohuyen", org.district_home_affairs, Role.UNIT_STAFF)
    # The reports as their services leave them (these tests are about showing them).
    for unit, period, status, at, late, by in (
        (
            org.science,
            2,
            ReportStatus.SUBMITTED,
            datetime.datetime(2024, 2, 13, 9, tzinfo=VN),
            False,
            people.unit_staff,
        ),
        (
            org.district_home_affairs,
            1,
            ReportStatus.SUBMITTED,
            datetime.datetime(2024, 2, 20, 15, tzinfo=VN),
            True,
            district_staff,
        ),
        (org.district_home_affairs, 3, ReportStatus.DRAFT, None, False, None),
    ):
        MonthlyReport.objects.create(
            program=program,
            unit=unit,
            period=datetime.date(2024, period, 1),
            due_date=report_queries.report_due_date(program, datetime.date(2024, period, 1)),
            status=status,
            submitted_at=at,
            submitted_by=by,
            is_late=late,
        )
    return Scene(program, district_staff)


def _tables(body: str) -> list[str]:
    """The page's tables' bodies, whitespace beside a tag dropped (the template's)."""
    return [
        re.sub(r"\s*(<[^>]*>)\s*", r"\1", found)
        for found in re.findall(r"<tbody[^>]*>(.*?)</tbody>", body, re.S)
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("reader", ["office_officer", "district_staff"])
@pytest.mark.parametrize("month", [1, 3])
def test_the_tables_written_in_python_are_the_templates(
    client: Client, org: Org, people: People, scene: Scene, language: str, reader: str, month: int
) -> None:
    user = scene.district_staff if reader == "district_staff" else getattr(people, reader)
    client.force_login(user)
    url = reverse("workprogram:report_list", kwargs={"pk": scene.program.pk}) + f"?month={month}"
    with on_day(TODAY), translation.override(language):
        response = client.get(url)
        rows = report_queries.report_matrix(
            scene.program, list(report_units_for(user, scene.program)), today=TODAY
        )
        month_rows = [
            {"unit": row.unit, "cell": row.months[month - 1], "may_file": may_act_for(user, row.unit.pk)}
            for row in rows
        ]
        context = {
            "rows": rows,
            "month_rows": month_rows,
            "program": scene.program,
            "month": month,
            "period_open": True,
        }
        expected = _tables(Template(REFERENCE).render(Context(context)))
    month_table, year_table = _tables(response.content.decode())
    assert [month_table, year_table] == expected
    seen = {state for state in ("on_time", "late", "missing", "future") if f"report-{state}" in year_table}
    assert seen == (
        {"on_time", "late", "missing", "future"}
        if reader == "office_officer"
        else {"late", "missing", "future"}
    )


def test_each_reader_is_offered_what_they_may_do(
    client: Client, org: Org, people: People, scene: Scene
) -> None:
    """The Office may open the district's March draft; the district's staff may continue it,
    and see no other unit's row."""
    url = reverse("workprogram:report_list", kwargs={"pk": scene.program.pk}) + "?month=3"
    form = reverse(
        "workprogram:report_form",
        kwargs={"pk": scene.program.pk, "unit_id": org.district_home_affairs.pk, "year": 2024, "month": 3},
    )
    with on_day(TODAY):
        client.force_login(people.office_officer)
        office = _tables(client.get(url).content.decode())[0]
        client.force_login(scene.district_staff)
        district = _tables(client.get(url).content.decode())[0]
    assert "Xem bản nháp" in office and form not in office
    assert "Tiếp tục báo cáo" in district and form in district and org.science.name not in district


def test_the_rows_are_kept_until_what_they_show_changes(
    client: Client, org: Org, people: People, scene: Scene
) -> None:
    """A second look reads no report (the rows were kept) and shows the same tables; a
    report sent, a unit renamed and another day (a month's deadline passed) show at once."""
    client.force_login(people.office_officer)
    url = reverse("workprogram:report_list", kwargs={"pk": scene.program.pk}) + "?month=3"
    with on_day(datetime.date(2024, 3, 5)):
        first = _tables(client.get(url).content.decode())
        with CaptureQueriesContext(connection) as ctx:
            again = _tables(client.get(url).content.decode())
        read = " ".join(query["sql"] for query in ctx.captured_queries)
        assert '"workprogram_monthlyreport"' not in read and again == first
        assert first[1].count("report-pending") == 2  # both units' March, due on the 14th
        MonthlyReport.objects.create(
            program=scene.program,
            unit=org.science,
            period=datetime.date(2024, 3, 1),
            due_date=datetime.date(2024, 3, 14),
            status=ReportStatus.SUBMITTED,
            submitted_at=datetime.datetime(2024, 3, 5, 10, tzinfo=VN),
            submitted_by=people.unit_staff,
        )
        sent = _tables(client.get(url).content.decode())
        assert sent[1].count("report-on_time") == first[1].count("report-on_time") + 1
        Unit.objects.filter(pk=org.science.pk).update(name="Sở Khoa học, Công nghệ & Đổi mới")
        assert "Công nghệ &amp; Đổi mới" in _tables(client.get(url).content.decode())[1]
    with on_day(TODAY):
        later = _tables(client.get(url).content.decode())
    assert later[1].count("report-missing") > sent[1].count("report-missing")


@pytest.mark.parametrize("url_name", ["workprogram:report_list", "workprogram:kpi_unfinished"])
def test_the_month_picker_shows_the_month_the_page_is_about(
    client: Client, people: People, scene: Scene, url_name: str
) -> None:
    client.force_login(people.office_officer)
    url = reverse(url_name, kwargs={"pk": scene.program.pk})
    with on_day(TODAY):
        for query, expected in (("", None), ("?month=1", 1), ("?page=1", None)):
            response = client.get(url + query)
            month = response.context["month"]
            number = month.month if isinstance(month, datetime.date) else month
            # On 20 March the page is about a later month than January, the picker's first.
            assert number == expected if expected else number > 1
            selected = re.findall(r'<option value="(\d+)" selected>', response.content.decode())
            assert selected == [str(number)], (query, selected)
