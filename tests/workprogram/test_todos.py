"""What the work program puts on the home page: adjustment requests to decide (the
supervising leader) or to follow up (the Office), this month's report due for the unit with
its working-day deadline and whether it has passed, and the unit's overdue items.

Each kind's filter is the role branch of a rule, kept in step with it for every persona;
each entry reaches the right person only, links to where the work is done, and goes away
once it is done."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import can, principal
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentRequest,
    ItemStatus,
    LineStatus,
    MonthlyReport,
    ProgramItem,
    ReportStatus,
    RequestStatus,
    WorkProgramSettings,
)
from caicach.workprogram.programs.rules import led_by_units_of, office_covers, pending_in_office, to_decide_by
from caicach.workprogram.programs.services import adjustment_request_approve, item_submit
from caicach.workprogram.reports.queries import LineInput, ReportContent, report_due_date, report_items
from caicach.workprogram.reports.services import monthly_report_submit
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.workprogram.factories import Scene, file_request, make_scene, month

pytestmark = pytest.mark.django_db

OTHERS = ("admin", "reform_officer", "council_member", "committee_member", "outsider")


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


def personas(org: Org, people: People) -> dict[str, User]:
    cast = {name: getattr(people, name) for name in People.__dataclass_fields__}
    cast["district_head"] = person("truong.huyen", org.district, Role.UNIT_HEAD)
    cast["district_office"] = person("vp.huyen", org.district, Role.OFFICE_OFFICER)
    cast["other_leader"] = person("lanhdao2", org.province, Role.LEADER)
    return cast


def short(unit: Unit) -> str:
    return unit.short_name or unit.name


def report_url(scene: Scene, unit: Unit, number: int = 9) -> str:
    place = {"pk": scene.program.pk, "unit_id": unit.pk, "year": 2024, "month": number}
    return reverse("workprogram:report_form", kwargs=place)


def todos(client: Client, user: User) -> dict[str, list[tuple[str, str, bool]]]:
    """The home page's to-do kinds for ``user``: each row's link, second line and lateness."""
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {
        entry.key: [(item.url, item.detail, item.late) for item in entry.items]
        for entry in response.context["todos"]
    }


# --- The filters and their rules ------------------------------------------------------------------


def test_each_program_filter_agrees_with_its_rule_for_every_persona(
    scene: Scene, org: Org, people: People
) -> None:
    cast = personas(org, people)
    pending = file_request(scene.science_item, people.unit_head)
    decided = file_request(scene.home_affairs_item, people.admin)
    adjustment_request_approve(actor=people.leader, request=decided, version=decided.version)
    requests = list(AdjustmentRequest.objects.select_related("program"))
    items = list(ProgramItem.objects.select_related("program"))
    assert {r.status for r in requests} == {RequestStatus.PENDING, RequestStatus.APPROVED}
    for key, user in cast.items():
        who = principal(user)
        assert who is not None
        decide = set(AdjustmentRequest.objects.filter(to_decide_by(user)).values_list("pk", flat=True))
        follow = set(AdjustmentRequest.objects.filter(pending_in_office(user)).values_list("pk", flat=True))
        led = set(ProgramItem.objects.filter(led_by_units_of(user)).values_list("pk", flat=True))
        if key == "admin":  # the bypass is not the administrator's work
            assert decide == follow == led == set()
            continue
        assert decide == {r.pk for r in requests if can(user, "decide", r)}, key
        assert follow == {
            r.pk
            for r in requests
            if r.status == RequestStatus.PENDING and office_covers(who, r.program.issuing_unit_id)
        }, key
        # The items whose submission the person may record for the lead unit (the Office may
        # record any of its programs', which is not its unit's work).
        assert led == {i.pk for i in items if can(user, "submit", i) and i.lead_unit_id in who.unit_ids}, key
    assert AdjustmentRequest.objects.filter(to_decide_by(people.leader)).get() == pending


# --- Requests -------------------------------------------------------------------------------------


def test_a_request_waits_for_its_leaders_decision_and_the_offices_follow_up_until_decided(
    client: Client, scene: Scene, org: Org, people: People, committed: Any
) -> None:
    request = file_request(scene.science_item, people.unit_head)
    url = reverse("workprogram:request_detail", args=[request.pk])
    assert [row[0] for row in todos(client, people.leader)["workprogram.decide"]] == [url]
    assert [row[0] for row in todos(client, people.office_officer)["workprogram.follow_requests"]] == [url]
    cast = personas(org, people)
    for key in (*OTHERS, "unit_head", "unit_staff", "other_leader", "district_office"):
        kinds = todos(client, cast[key])
        assert "workprogram.decide" not in kinds and "workprogram.follow_requests" not in kinds, key

    with committed():
        adjustment_request_approve(actor=people.leader, request=request, version=request.version)
    assert "workprogram.decide" not in todos(client, people.leader)
    assert "workprogram.follow_requests" not in todos(client, people.office_officer)


# --- Monthly reports -----------------------------------------------------------------------------


def send_report(scene: Scene, people: People, org: Org, period: datetime.date) -> None:
    lines = tuple(
        LineInput(
            item.pk,
            LineStatus.DELAYED,
            delay_cause="Chờ ý kiến thẩm định",
            remedy="Đôn đốc",
            expected_date=period + datetime.timedelta(days=60),
        )
        for item in report_items(scene.program, org.science, period)
    )
    monthly_report_submit(
        actor=people.unit_staff,
        program=scene.program,
        unit=org.science,
        period=period,
        content=ReportContent("", "", lines),
        version=None,
    )


def sent_before(scene: Scene, units: list[Unit], period: datetime.date) -> None:
    """The reports of ``units`` for every month of the year before ``period``, sent on time
    (bare rows: sending is the report services' business)."""
    for unit in units:
        for number in range(1, period.month):
            first = month(number)
            MonthlyReport.objects.create(
                program=scene.program,
                unit=unit,
                period=first,
                due_date=report_due_date(scene.program, first),
                status=ReportStatus.SUBMITTED,
                submitted_at=datetime.datetime(2024, number, 5, 9, tzinfo=datetime.UTC),
            )


def test_the_months_report_waits_on_the_units_home_page_with_its_working_day_deadline(
    client: Client, scene: Scene, org: Org, people: People
) -> None:
    september = month(9)
    sent_before(scene, [org.science, org.district], september)
    due = report_due_date(scene.program, september)
    # Seed 001: before the 15th. The 14th of September 2024 is a Saturday: the deadline
    # moves to the next working day (Civil Code Art. 148), as the calendar says.
    assert due == datetime.date(2024, 9, 16)
    form_url = report_url(scene, org.science)
    science = short(org.science)
    with on_day(datetime.date(2024, 9, 10)):
        for key in ("unit_head", "unit_staff"):
            rows = todos(client, getattr(people, key))["workprogram.reports_due"]
            assert rows == [(form_url, f"{science}, hạn gửi: hết ngày 16/09/2024", False)], key
        assert client.get(form_url).status_code == 200  # the link is the unit's form
        cast = personas(org, people)
        for key in (*OTHERS, "office_officer", "leader", "district_office"):
            assert "workprogram.reports_due" not in todos(client, cast[key]), key
        # The district's head reports for the district (it leads an item), not for Science.
        district_rows = todos(client, cast["district_head"])["workprogram.reports_due"]
        assert [row[0] for row in district_rows] == [report_url(scene, org.district)]
    with on_day(datetime.date(2024, 9, 17)):
        rows = todos(client, people.unit_head)["workprogram.reports_due"]
        assert rows == [(form_url, f"{science}, hạn gửi đã qua: hết ngày 16/09/2024", True)]
        send_report(scene, people, org, september)
        assert "workprogram.reports_due" not in todos(client, people.unit_head)
        assert "workprogram.reports_due" not in todos(client, people.unit_staff)


def test_an_earlier_months_missing_report_stays_on_the_list_as_late(
    client: Client, scene: Scene, org: Org, people: People
) -> None:
    sent_before(scene, [org.science], month(9))
    MonthlyReport.objects.filter(unit=org.science, period=month(8)).delete()
    science = short(org.science)
    with on_day(datetime.date(2024, 9, 10)):
        client.force_login(people.unit_head)
        (entry,) = [e for e in client.get("/").context["todos"] if e.key == "workprogram.reports_due"]
    # The most recent month first: September's (not yet due), then August's (due 14/08).
    assert [(item.url, item.detail, item.late) for item in entry.items] == [
        (report_url(scene, org.science), f"{science}, hạn gửi: hết ngày 16/09/2024", False),
        (report_url(scene, org.science, 8), f"{science}, hạn gửi đã qua: hết ngày 14/08/2024", True),
    ]
    assert (entry.count, entry.late_count) == (2, 1)
    assert entry.more_url == reverse("workprogram:report_list", args=[scene.program.pk])


def test_the_reports_deadline_follows_the_committees_report_day(
    client: Client, scene: Scene, org: Org, people: People
) -> None:
    sent_before(scene, [org.science], month(9))
    WorkProgramSettings.objects.create(unit=org.province, report_day=10)
    science = short(org.science)
    with on_day(datetime.date(2024, 9, 10)):
        ((_url, detail, late),) = todos(client, people.unit_head)["workprogram.reports_due"]
    assert (detail, late) == (f"{science}, hạn gửi đã qua: hết ngày 09/09/2024", True)


# --- Overdue items -------------------------------------------------------------------------------


def test_the_units_overdue_items_wait_on_its_home_page_with_the_committees_grace_days(
    client: Client, scene: Scene, org: Org, people: People, committed: Any
) -> None:
    march_url = reverse("workprogram:item_detail", args=[scene.science_item.pk])
    june_url = reverse("workprogram:item_detail", args=[scene.science_other.pk])
    science = short(org.science)
    with on_day(datetime.date(2024, 7, 10)):
        rows = todos(client, people.unit_staff)["workprogram.overdue_items"]
        assert rows == [
            (march_url, f"{science}, hạn trình tháng 3/2024", True),
            (june_url, f"{science}, hạn trình tháng 6/2024", True),
        ]
        cast = personas(org, people)
        for key in (*OTHERS, "office_officer", "leader", "district_head"):
            assert "workprogram.overdue_items" not in todos(client, cast[key]), key
        # Fifteen days' grace: June's item is not overdue before the 16th of July.
        with committed():
            WorkProgramSettings.objects.create(unit=org.province, overdue_grace_days=15)
        assert [row[0] for row in todos(client, people.unit_head)["workprogram.overdue_items"]] == [march_url]

        item = scene.science_item
        item.refresh_from_db()
        with committed():
            item_submit(
                actor=people.unit_staff,
                item=item,
                submitted_on=datetime.date(2024, 7, 9),
                reference="125/TTr-SKHCN",
                version=item.version,
            )
        assert ProgramItem.objects.get(pk=item.pk).status == ItemStatus.SUBMITTED
        assert "workprogram.overdue_items" not in todos(client, people.unit_head)


def test_a_withdrawal_request_is_a_request_like_any_other(
    client: Client, scene: Scene, org: Org, people: People
) -> None:
    request = file_request(scene.science_other, people.unit_head, kind=AdjustmentKind.WITHDRAW)
    ((url, _detail, late),) = todos(client, people.leader)["workprogram.decide"]
    assert (url, late) == (request.get_absolute_url(), False)
