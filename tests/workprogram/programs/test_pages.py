"""The pages: the program page filters and searches its items (accent-blind) and pages them;
forms go through the services; every page stays within a fixed number of queries however
many items, requests and events there are."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Unit
from caicach.core.once import FIELD, new_token
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    WorkProgram,
)
from caicach.workprogram.programs.services import adjustment_request_reject, item_submit
from tests.conftest import Org, People
from tests.core.factories import make_unit
from tests.issuing import confirm_issue
from tests.workprogram.factories import YEAR, Scene, add_item, file_request, make_program, make_scene, month

pytestmark = pytest.mark.django_db


def many_items(program: WorkProgram, units: list[Unit], people: People, count: int) -> list[ProgramItem]:
    """``count`` items written in bulk (as the import does), each with two coordinating units."""
    items = []
    for number in range(count):
        item = ProgramItem(
            program=program,
            position=100 + number,
            title=f"Đề án số {number} về phát triển kinh tế số",
            lead_unit=units[number % len(units)],
            supervising_leader=people.leader,
            due_month=month(number % 12 + 1),
            original_due_month=month(number % 12 + 1),
            status=[ItemStatus.PLANNED, ItemStatus.SUBMITTED, ItemStatus.ISSUED][number % 3],
        )
        item.search_text = item.build_search_text()
        items.append(item)
    created = ProgramItem.objects.bulk_create(items)
    through = ProgramItem.coordinating_units.through
    through.objects.bulk_create(
        [
            through(programitem_id=item.pk, unit_id=units[(i + k) % len(units)].pk)
            for i, item in enumerate(created)
            for k in (1, 2)
        ]
    )
    return created


@pytest.fixture
def crowded(org: Org, people: People) -> Scene:
    scene = make_scene(org, people)
    units = [
        org.science,
        org.home_affairs,
        org.office,
        org.district,
        *[make_unit(parent=org.province) for _ in range(6)],
    ]
    many_items(scene.program, units, people, 130)
    for item in ProgramItem.objects.filter(status=ItemStatus.PLANNED, position__gte=100):
        file_request(item, people.unit_staff if item.lead_unit_id == org.science.pk else people.admin)
    return scene


def titles(response: Any) -> list[str]:
    return [item.title for item in response.context["page_obj"].object_list]


# --- Query ceilings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "office_officer", "unit_staff", "leader", "reform_officer"])
def test_the_program_page_costs_the_same_with_130_items(
    client: Client, people: People, crowded: Scene, persona: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(getattr(people, persona))
    url = reverse("workprogram:program_detail", args=[crowded.program.pk])
    with django_assert_max_num_queries(23):
        response = client.get(url)
    assert response.status_code == 200 and len(titles(response)) == 25
    with django_assert_max_num_queries(23):
        response = client.get(url, {"page": "3", "status": "overdue", "q": "kinh te"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "persona", "ceiling"),
    [
        ("workprogram:program_list", "office_officer", 12),
        ("workprogram:program_list", "unit_staff", 12),
        ("workprogram:request_list", "office_officer", 12),
        ("workprogram:request_list", "leader", 12),
    ],
)
def test_the_lists_stay_within_their_query_budget(
    client: Client,
    people: People,
    crowded: Scene,
    name: str,
    persona: str,
    ceiling: int,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(getattr(people, persona))
    with django_assert_max_num_queries(ceiling):
        response = client.get(reverse(name), {"status": "all"})
    assert response.status_code == 200 and len(response.context["page_obj"].object_list) > 0


def test_an_item_page_with_a_long_history_stays_within_budget(
    client: Client, people: People, crowded: Scene, django_assert_max_num_queries: Any
) -> None:
    item = crowded.science_item
    for round_ in range(12):
        request = file_request(item, people.unit_staff, proposed_month=month(4 + round_ % 6))
        adjustment_request_reject(
            actor=people.leader, request=request, note=f"Lần {round_}", version=request.version
        )
    client.force_login(people.office_officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("workprogram:item_detail", args=[item.pk]))
    assert response.status_code == 200 and len(response.context["requests"]) == 12
    with django_assert_max_num_queries(16):
        response = client.get(reverse("workprogram:request_detail", args=[request.pk]))
    assert response.status_code == 200


# --- Filters and search --------------------------------------------------------------------------------


def test_the_program_page_filters_by_unit_status_month_kind_leader_and_search(
    client: Client, org: Org, people: People
) -> None:
    scene = make_scene(org, people)
    item_submit(
        actor=people.office_officer,
        item=scene.science_other,
        submitted_on=datetime.date(YEAR, 6, 20),
        reference="7/TTr-SKHCN",
        version=1,
    )
    client.force_login(people.office_officer)
    url = reverse("workprogram:program_detail", args=[scene.program.pk])
    everything = titles(client.get(url))
    assert len(everything) == 4
    assert titles(client.get(url, {"lead_unit": org.science.pk})) == [
        scene.science_item.title,
        scene.science_other.title,
    ]
    assert titles(client.get(url, {"status": "submitted"})) == [scene.science_other.title]
    overdue = titles(client.get(url, {"status": "overdue"}))  # today is long after 2024
    assert set(overdue) == {
        scene.science_item.title,
        scene.home_affairs_item.title,
        scene.district_item.title,
    }
    assert titles(client.get(url, {"month": 5})) == [scene.home_affairs_item.title]
    assert titles(client.get(url, {"supervising_leader": people.leader.pk})) == [
        scene.science_item.title,
        scene.science_other.title,
        scene.home_affairs_item.title,
    ]
    assert titles(client.get(url, {"submission_kind": "chairman"})) == []
    # Accent- and case-blind, every word.
    assert titles(client.get(url, {"q": "KHOI nghiep  sang tao"})) == [scene.science_item.title]
    assert titles(client.get(url, {"q": "khởi nghiệp"})) == [scene.science_item.title]
    assert titles(client.get(url, {"q": "khoi nghiep xyz"})) == []


def test_the_filters_answer_htmx_with_the_table_alone(client: Client, org: Org, people: People) -> None:
    scene = make_scene(org, people)
    client.force_login(people.office_officer)
    response = client.get(
        reverse("workprogram:program_detail", args=[scene.program.pk]),
        {"q": "khoi nghiep"},
        headers={"HX-Request": "true", "HX-Target": "item-table"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and scene.science_item.title in page
    assert scene.district_item.title not in page


def test_a_unit_sees_only_its_own_and_coordinated_items_on_the_program_page(
    client: Client, org: Org, people: People
) -> None:
    scene = make_scene(org, people)
    client.force_login(people.reform_officer)  # Home Affairs: leads one, coordinates one
    page = client.get(reverse("workprogram:program_detail", args=[scene.program.pk]))
    assert set(titles(page)) == {scene.home_affairs_item.title, scene.science_item.title}
    assert page.context["counts"]["total"] == 2


# --- Forms through the services ------------------------------------------------------------------------


def test_the_office_creates_a_program_and_adds_an_item(client: Client, org: Org, people: People) -> None:
    client.force_login(people.office_officer)
    response = client.post(
        reverse("workprogram:program_create"),
        {
            "issuing_unit": org.province.pk,
            "year": YEAR,
            "title": "Chương trình công tác năm 2024",
            "decision_number": "3125/QĐ-UBND",
            "decision_date": "28/12/2023",
            FIELD: new_token(),
        },
    )
    program = WorkProgram.objects.get()
    assert response.status_code == 302 and program.decision_date == datetime.date(2023, 12, 28)
    response = client.post(
        reverse("workprogram:item_create", args=[program.pk]),
        {
            "title": "Đề án A",
            "submission_kind": "committee",
            "lead_unit": org.science.pk,
            "coordinating_units": [org.home_affairs.pk],
            "supervising_leader": people.leader.pk,
            "due_month": "3/2024",
            FIELD: new_token(),
        },
    )
    item = ProgramItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.due_month == month(3) and item.position == 1


def test_a_bad_month_or_a_stale_edit_is_shown_on_the_form(client: Client, org: Org, people: People) -> None:
    scene = make_scene(org, people)
    client.force_login(people.office_officer)
    response = client.post(
        reverse("workprogram:item_create", args=[scene.program.pk]),
        {
            "title": "Đề án B",
            "submission_kind": "committee",
            "lead_unit": org.science.pk,
            "due_month": "2024-03",
        },
    )
    assert response.status_code == 200 and "tháng/năm" in response.content.decode()
    url = reverse("workprogram:item_update", args=[scene.science_other.pk])
    data = {"title": "Tên mới", "submission_kind": "committee", "lead_unit": org.science.pk, "version": 1}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Tên khác"})  # the same, now stale, version
    assert response.status_code == 200 and "người khác thay đổi" in response.content.decode()
    scene.science_other.refresh_from_db()
    assert scene.science_other.title == "Tên mới"


def test_a_unit_files_a_postponement_and_the_leader_approves_it_through_the_pages(
    client: Client, org: Org, people: People
) -> None:
    scene = make_scene(org, people)
    item = scene.science_other
    client.force_login(people.unit_staff)
    url = reverse("workprogram:request_create", args=[item.pk])
    data = {
        "kind": AdjustmentKind.POSTPONE,
        "reason": AdjustmentReason.objects.get(code="objective_cause").pk,
        "explanation": "Chờ hướng dẫn.",
        "necessity": "Cần thiết.",
        "impact": "Không đáng kể.",
        "proposed_month": "",
        FIELD: new_token(),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not AdjustmentRequest.objects.exists()
    response = client.post(url, {**data, "proposed_month": "05/2024"})  # not after 06/2024
    assert response.status_code == 200 and "phải sau thời gian trình hiện tại" in response.content.decode()
    response = client.post(url, {**data, "proposed_month": "09/2024"})
    request = AdjustmentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.status == RequestStatus.AWAITING_HEAD and request.request_document is None
    # The unit head approves: the Tờ trình takes its number under the head's signature.
    client.force_login(people.unit_head)
    approve = reverse("workprogram:request_approve_submission", args=[request.pk])
    response = confirm_issue(client, approve, {"version": request.version})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.signed_by == people.unit_head
    client.force_login(people.leader)
    page = client.get(request.get_absolute_url())
    assert page.context["can_decide"]
    decide = reverse("workprogram:request_decide", args=[request.pk])
    response = client.post(decide, {"decision": "reject", "note": "", "version": request.version})
    assert response.status_code == 400 and "lý do không chấp thuận" in response.content.decode()
    response = client.post(decide, {"decision": "approve", "note": "Đồng ý.", "version": request.version})
    assert response.status_code == 302
    item.refresh_from_db()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and item.due_month == month(9)


def test_a_unit_proposes_an_addition_through_the_page(client: Client, org: Org, people: People) -> None:
    scene = make_scene(org, people)
    client.force_login(people.unit_head)
    response = client.post(
        reverse("workprogram:request_add", args=[scene.program.pk]),
        {
            "lead_unit": org.science.pk,
            "proposed_title": "Đề án chuyển đổi số",
            "submission_kind": "committee",
            "coordinating_units": [org.home_affairs.pk],
            "leader": people.leader.pk,
            "proposed_month": "08/2024",
            FIELD: new_token(),
            "reason": AdjustmentReason.objects.get(code="leader_direction").pk,
            "explanation": "Theo chỉ đạo.",
            "necessity": "Cần thiết.",
            "impact": "Tích cực.",
        },
    )
    request = AdjustmentRequest.objects.get()
    assert response.status_code == 302 and request.kind == AdjustmentKind.ADD and request.item is None
    assert request.proposed_data == {
        "submission_kind": "committee",
        "is_legal_document": False,
        "coordinating_units": [org.home_affairs.pk],
    }


def test_the_office_records_a_submission_and_an_issue_on_the_item_page(
    client: Client, org: Org, people: People
) -> None:
    scene = make_scene(org, people)
    item = scene.science_item
    client.force_login(people.office_officer)
    submit = reverse("workprogram:item_submit", args=[item.pk])
    response = client.post(submit, {"submitted_on": "20/03/2024", "reference": "45/TTr-SKHCN", "version": 1})
    assert response.status_code == 302
    issue = reverse("workprogram:item_issue", args=[item.pk])
    response = client.post(issue, {"issued_on": "10/03/2024", "reference": "5/QĐ-UBND", "version": 2})
    assert response.status_code == 400 and "không được trước ngày trình" in response.content.decode()
    response = client.post(issue, {"issued_on": "10/04/2024", "reference": "5/QĐ-UBND", "version": 2})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ISSUED and item.issued_reference == "5/QĐ-UBND"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Ghi nhận đã ban hành" in page and "45/TTr-SKHCN" in page


def test_the_menu_offers_the_work_program(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("workprogram:program_list") in page and "Chương trình công tác" in page


@pytest.mark.parametrize("persona", ["office_officer", "unit_staff", "leader"])
def test_the_program_list_counts_each_readers_items_and_is_kept_until_one_changes(
    client: Client, people: People, org: Org, crowded: Scene, persona: str, django_assert_num_queries: Any
) -> None:
    """Each program's count is the items the reader sees (``items_for``), in the list's
    order; a second look reads nothing; an item added since counts at once; another
    reader's counts are their own."""
    from caicach.workprogram.programs.queries import program_page, program_rows
    from caicach.workprogram.programs.rules import items_for

    other = make_program(org, people, year=YEAR + 1)
    add_item(other, people.office_officer, org.science, month(2, YEAR + 1), leader=people.leader)
    reader = getattr(people, persona)

    def expected() -> list[tuple[str, str, int]]:
        return [
            (program.get_absolute_url(), program.title, items_for(reader).filter(program=program).count())
            for program in program_rows(reader)
        ]

    first = program_page(reader, None)
    with django_assert_num_queries(0):
        again = program_page(reader, None)
    assert list(again) == list(first) and [(r.url, r.title, r.item_count) for r in first] == expected()
    assert first.paginator.count == 2 and [r.year for r in first] == [YEAR + 1, YEAR]
    add_item(other, people.office_officer, org.science, month(3, YEAR + 1), leader=people.leader)
    after = program_page(reader, None)
    assert (
        [(r.url, r.title, r.item_count) for r in after]
        == expected()
        != [(r.url, r.title, r.item_count) for r in first]
    )
    office, staff = (program_page(person, None) for person in (people.office_officer, people.unit_staff))
    assert office[1].item_count > staff[1].item_count  # the crowded program: the Office sees every unit's
