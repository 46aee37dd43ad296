"""The report and KPI pages: who may open what (persona by view), the report form through
the browser's eyes (draft, refused incomplete sending, sending), the Office reopening a
report, and query ceilings that do not grow with the rows."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.core.models import Role, Unit, User
from caicach.core.once import FIELD, new_token
from caicach.workprogram.models import (
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlySummary,
    ProgramItem,
    ReportStatus,
    WorkProgram,
)
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.queries import LineInput, ReportContent
from caicach.workprogram.reports.rules import expected_units, report_units_for
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.workprogram.factories import make_bare_program as make_program
from tests.workprogram.factories import make_item, random_items

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2024, 3, 20)
MARCH = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _fixed_today() -> Iterator[None]:
    with on_day(TODAY):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Issued summaries keep their file: in a throw-away folder here."""
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Setup:
    program: WorkProgram
    delayed: ProgramItem
    this_month: ProgramItem
    report: MonthlyReport  # Science's February report, sent


@pytest.fixture
def setup(org: Org, people: People) -> Setup:
    program = make_program(org.province)
    delayed = make_item(
        program, org.science, datetime.date(2024, 1, 1), title="Đề án chuyển đổi số", leader=people.leader
    )
    this_month = make_item(program, org.science, MARCH, title="Quy định quản lý nhiệm vụ khoa học")
    make_item(program, org.district_home_affairs, datetime.date(2024, 2, 1), title="Kế hoạch CCHC huyện")
    february = report_services.monthly_report_submit(
        actor=people.unit_staff,
        program=program,
        unit=org.science,
        period=datetime.date(2024, 2, 1),
        content=ReportContent(
            "Thiếu kinh phí",
            "Đề nghị bố trí kinh phí",
            (
                LineInput(
                    delayed.pk,
                    LineStatus.DELAYED,
                    delay_cause="Chờ thẩm định",
                    remedy="Đôn đốc",
                    expected_date=datetime.date(2024, 3, 30),
                ),
            ),
        ),
        version=None,
        at=datetime.datetime(2024, 2, 13, 9, tzinfo=VN),
    )
    return Setup(program=program, delayed=delayed, this_month=this_month, report=february)


def urls(setup: Setup, org: Org) -> dict[str, tuple[str, str]]:
    pk = setup.program.pk
    month = {"pk": pk, "year": 2024, "month": 3}
    return {
        "report_list": ("get", reverse("workprogram:report_list", kwargs={"pk": pk})),
        "report_list_xlsx": ("get", reverse("workprogram:report_list", kwargs={"pk": pk}) + "?format=xlsx"),
        "report_form": (
            "get",
            reverse("workprogram:report_form", kwargs={**month, "unit_id": org.science.pk}),
        ),
        "report_detail": ("get", reverse("workprogram:report_detail", kwargs={"pk": setup.report.pk})),
        "report_reopen": ("post", reverse("workprogram:report_reopen", kwargs={"pk": setup.report.pk})),
        "summary_detail": ("get", reverse("workprogram:summary_detail", kwargs=month)),
        "summary_docx": ("get", reverse("workprogram:summary_docx", kwargs=month)),
        "summary_issue": ("post", reverse("workprogram:summary_issue", kwargs=month)),
        "kpi": ("get", reverse("workprogram:kpi", kwargs={"pk": pk})),
        "kpi_xlsx": ("get", reverse("workprogram:kpi", kwargs={"pk": pk}) + "?format=xlsx&table=months"),
        "kpi_unfinished": ("get", reverse("workprogram:kpi_unfinished", kwargs={"pk": pk})),
    }


OFFICE = {
    "report_list": 200,
    "report_list_xlsx": 200,
    "report_form": 404,
    "report_detail": 200,
    "report_reopen": 302,
    "summary_detail": 200,
    "summary_docx": 200,
    "summary_issue": 302,
    "kpi": 200,
    "kpi_xlsx": 200,
    "kpi_unfinished": 200,
}
UNIT = {
    "report_list": 200,
    "report_list_xlsx": 200,
    "report_form": 200,
    "report_detail": 200,
    "report_reopen": 404,
    "summary_detail": 404,
    "summary_docx": 404,
    "summary_issue": 404,
    "kpi": 200,
    "kpi_xlsx": 200,
    "kpi_unfinished": 200,
}
# The committee's leaders follow every unit's reports and figures, but keep nothing.
LEADER = {
    **dict.fromkeys(OFFICE, 404),
    "report_list": 200,
    "report_list_xlsx": 200,
    "report_detail": 200,
    "kpi": 200,
    "kpi_xlsx": 200,
    "kpi_unfinished": 200,
}
NOBODY = dict.fromkeys(OFFICE, 404)
MATRIX = {
    "admin": {**OFFICE, "report_form": 200},
    "office_officer": OFFICE,
    "unit_head": UNIT,
    "unit_staff": UNIT,
    "leader": LEADER,
    "committee_member": NOBODY,
    "reform_officer": NOBODY,
    "council_member": NOBODY,
    "outsider": NOBODY,
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_permission_matrix(client: Client, setup: Setup, org: Org, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    got = {}
    for name, (method, url) in urls(setup, org).items():
        data = {"reason": "Bổ sung", "version": setup.report.version, "issued_on": "20/03/2024"}
        response = client.post(url, data) if method == "post" else client.get(url)
        got[name] = response.status_code
    assert got == MATRIX[persona]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, setup: Setup, org: Org) -> None:
    for method, url in urls(setup, org).values():
        response = client.post(url) if method == "post" else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_unit_cannot_open_another_units_form_nor_a_month_not_yet_come(
    client: Client, setup: Setup, org: Org, people: People
) -> None:
    client.force_login(people.unit_staff)
    pk = setup.program.pk
    other = reverse(
        "workprogram:report_form",
        kwargs={"pk": pk, "year": 2024, "month": 3, "unit_id": org.district_home_affairs.pk},
    )
    april = reverse(
        "workprogram:report_form", kwargs={"pk": pk, "year": 2024, "month": 4, "unit_id": org.science.pk}
    )
    wrong_year = reverse(
        "workprogram:report_form", kwargs={"pk": pk, "year": 2023, "month": 3, "unit_id": org.science.pk}
    )
    for url in (other, april, wrong_year):
        assert client.get(url).status_code == 404, url


def test_the_report_lists_of_a_unit_show_only_its_own_units(
    client: Client, setup: Setup, org: Org, people: People
) -> None:
    client.force_login(people.unit_staff)
    response = client.get(reverse("workprogram:report_list", kwargs={"pk": setup.program.pk}))
    assert [row.unit_id for row in response.context["unit_reports"]] == [org.science.pk]
    client.force_login(people.office_officer)
    response = client.get(reverse("workprogram:report_list", kwargs={"pk": setup.program.pk}))
    shown = {row.unit_id for row in response.context["unit_reports"]}
    assert shown == {org.science.pk, org.district_home_affairs.pk}
    assert set(report_units_for(people.unit_staff, setup.program)) == {org.science}


def form_data(setup: Setup, *, action: str, version: int | str = "", cause: str = "") -> dict[str, Any]:
    return {
        "action": action,
        "version": version,
        FIELD: new_token(),
        "difficulties": "Thiếu nhân lực",
        "recommendations": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "2",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item_id": setup.delayed.pk,
        "lines-0-status": LineStatus.DELAYED,
        "lines-0-delay_cause": cause,
        "lines-0-remedy": "Đôn đốc cơ quan thẩm định" if cause else "",
        "lines-0-expected_date": "15/04/2024" if cause else "",
        "lines-1-item_id": setup.this_month.pk,
        "lines-1-status": LineStatus.ON_TRACK,
        "lines-1-progress_note": "Đang lấy ý kiến các sở",
    }


def test_a_unit_fills_in_its_report_through_the_form(
    client: Client, setup: Setup, org: Org, people: People
) -> None:
    client.force_login(people.unit_staff)
    url = reverse(
        "workprogram:report_form",
        kwargs={"pk": setup.program.pk, "year": 2024, "month": 3, "unit_id": org.science.pk},
    )
    page = client.get(url)
    body = page.content.decode()
    assert "Đề án chuyển đổi số" in body and "Quy định quản lý nhiệm vụ khoa học" in body
    assert "Kế hoạch CCHC huyện" not in body  # another unit's item

    # A draft may leave the delayed item unexplained.
    response = client.post(url, form_data(setup, action="save"))
    assert response.status_code == 302
    draft = MonthlyReport.objects.get(unit=org.science, period=MARCH)
    assert draft.status == ReportStatus.DRAFT and draft.lines.count() == 2

    # Sending it so is refused, with the reason shown, and nothing changes.
    response = client.post(url, form_data(setup, action="submit", version=draft.version))
    assert response.status_code == 200
    assert "Vui lòng nêu nguyên nhân chậm." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT

    response = client.post(
        url, form_data(setup, action="submit", version=draft.version, cause="Chờ thẩm định")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workprogram:report_detail", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.is_late is True  # sent on 20/3, due 14/3
    # Once sent, the form sends the unit to the report itself.
    assert client.get(url)["Location"] == reverse("workprogram:report_detail", kwargs={"pk": draft.pk})


def test_a_stale_form_shows_the_shared_message(
    client: Client, setup: Setup, org: Org, people: People
) -> None:
    client.force_login(people.unit_staff)
    url = reverse(
        "workprogram:report_form",
        kwargs={"pk": setup.program.pk, "year": 2024, "month": 3, "unit_id": org.science.pk},
    )
    client.post(url, form_data(setup, action="save"))
    response = client.post(url, form_data(setup, action="save"))  # built before the first save
    assert "người khác thay đổi" in response.content.decode()
    assert MonthlyReport.objects.get(unit=org.science, period=MARCH).version == 1


def test_the_office_reopens_a_report_from_its_page(client: Client, setup: Setup, people: People) -> None:
    client.force_login(people.office_officer)
    detail = reverse("workprogram:report_detail", kwargs={"pk": setup.report.pk})
    assert "Mở lại báo cáo" in client.get(detail).content.decode()
    client.post(
        reverse("workprogram:report_reopen", kwargs={"pk": setup.report.pk}),
        {"reason": "Bổ sung giải pháp", "version": setup.report.version},
    )
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT
    client.force_login(people.unit_staff)
    assert "Tiếp tục báo cáo" in client.get(detail).content.decode()


def test_the_office_saves_and_issues_the_summary_with_a_bc_number(
    client: Client, setup: Setup, people: People
) -> None:
    client.force_login(people.office_officer)
    kwargs = {"pk": setup.program.pk, "year": 2024, "month": 2}
    url = reverse("workprogram:summary_detail", kwargs=kwargs)
    response = client.post(
        url,
        {
            "assessment": "Các đơn vị cơ bản thực hiện nghiêm chế độ báo cáo.",
            "signer_authority": "KT. CHÁNH VĂN PHÒNG",
            "signer_title": "PHÓ CHÁNH VĂN PHÒNG",
            "signer_name": "Nguyễn Văn Tổng Hợp",
            "recipients": "Thường trực UBND tỉnh;\nLưu: VT, TH.",
            "version": "",
            FIELD: new_token(),
        },
    )
    assert response.status_code == 302
    summary = MonthlySummary.objects.get()
    response = client.post(
        reverse("workprogram:summary_issue", kwargs=kwargs),
        {"issued_on": "20/03/2024", "version": summary.version},
        follow=True,
    )
    assert "Đã ban hành Báo cáo số 01/BC-VP" in response.content.decode()
    summary.refresh_from_db()
    assert summary.registered_document is not None and summary.issued_on == datetime.date(2024, 3, 20)


# --- Query ceilings ----------------------------------------------------------------------------


@pytest.fixture
def big(org: Org, people: People, setup: Setup) -> list[Unit]:
    """40 more lead units, 200 more items (60 of them Science's), and reports for January and
    February from half of the units."""
    units = [make_unit(f"Q{n:03d}", parent=org.province) for n in range(40)]
    random_items(setup.program, [*units, org.science], [people.leader, None], count=200, seed=11)
    admin = people.admin
    expected = set(expected_units(setup.program))
    for unit in [unit for unit in units if unit in expected][:20]:
        for month in (1, 2):
            period = datetime.date(2024, month, 1)
            lines = tuple(
                LineInput(item.pk, LineStatus.DONE)
                for item in report_queries.report_items(setup.program, unit, period)
                if item.status != ItemStatus.PLANNED
            )
            lines += tuple(
                LineInput(
                    item.pk,
                    LineStatus.DELAYED,
                    delay_cause="Chờ ý kiến",
                    remedy="Đôn đốc",
                    expected_date=datetime.date(2024, 4, 30),
                )
                for item in report_queries.report_items(setup.program, unit, period)
                if item.status == ItemStatus.PLANNED
            )
            report_services.monthly_report_submit(
                actor=admin,
                program=setup.program,
                unit=unit,
                period=period,
                content=ReportContent("Khó khăn", "Kiến nghị", lines),
                version=None,
                at=datetime.datetime(2024, month, 12, 9, tzinfo=VN),
            )
    return units


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [
        ("report_list", 11),
        ("report_list_xlsx", 9),
        ("report_form", 12),
        ("report_detail", 9),
        ("summary_detail", 18),
        ("summary_docx", 17),
        ("kpi", 10),
        ("kpi_xlsx", 9),
        ("kpi_unfinished", 12),
    ],
)
def test_pages_make_a_fixed_number_of_queries(
    client: Client,
    setup: Setup,
    org: Org,
    people: People,
    big: list[Unit],
    name: str,
    ceiling: int,
    django_assert_max_num_queries: Any,
) -> None:
    user: User = people.admin if name != "report_form" else people.unit_staff
    client.force_login(user)
    _method, url = urls(setup, org)[name]
    assert client.get(url).status_code == 200  # warm the per-process caches (calendar, content types)
    with django_assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200


def test_the_report_matrix_exports_to_xlsx(client: Client, setup: Setup, people: People, org: Org) -> None:
    client.force_login(people.office_officer)
    response = client.get(
        reverse("workprogram:report_list", kwargs={"pk": setup.program.pk}) + "?format=xlsx"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    header = next(row for row in rows if row and row[0] == "Đơn vị")
    assert header[1:4] == ("T1/2024", "T2/2024", "T3/2024")
    science = next(row for row in rows if row and row[0] == org.science.name)
    # January missing, February sent on time, March pending on 20/3 (due 14/3: missing).
    assert science[1:4] == ("Chưa gửi", "Đúng hạn", "Chưa gửi")
    assert science[13:16] == (1, 0, 2)


def test_a_person_of_two_units_files_for_each(client: Client, setup: Setup, org: Org) -> None:
    both = person("haidonvi", org.science, Role.UNIT_STAFF)
    person("haidonvi", org.district_home_affairs, Role.UNIT_HEAD)
    client.force_login(both)
    response = client.get(reverse("workprogram:report_list", kwargs={"pk": setup.program.pk}))
    month = response.context["month"]
    assert response.context["period_open"]
    page = response.content.decode()
    for unit in (org.science, org.district_home_affairs):
        kwargs = {"pk": setup.program.pk, "unit_id": unit.pk, "year": setup.program.year, "month": month}
        assert reverse("workprogram:report_form", kwargs=kwargs) in page, unit


def test_the_first_report_of_the_month_posted_twice_is_saved_once_and_the_repeat_led_to_it(
    client: Client, setup: Setup, org: Org, people: People
) -> None:
    # After the first POST the month has its report, so the page would expect its version:
    # the repeat is recognised by its spent token instead of being told the page is stale.
    client.force_login(people.unit_staff)
    url = reverse(
        "workprogram:report_form",
        kwargs={"pk": setup.program.pk, "year": 2024, "month": 3, "unit_id": org.science.pk},
    )
    data = form_data(setup, action="save")
    assert client.post(url, data).status_code == 302
    repeat = client.post(url, {**data, "difficulties": "Lần bấm thứ hai"})
    assert repeat.status_code == 302 and repeat["Location"] == url
    report = MonthlyReport.objects.get(unit=org.science, period=MARCH)
    assert report.difficulties == "Thiếu nhân lực" and report.version == 1
