"""Who sees and does what: the Office sees and manages everything of its
committee; a unit sees the items it leads or coordinates and files requests for those it
leads; the committee's leaders see its whole program and decide what is addressed to them;
outsiders get 404. Every page is
checked for every persona, and the list queries are kept in step with the rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.workprogram.models import AdjustmentRequest, ProgramItem, WorkProgram
from caicach.workprogram.programs.queries import leaders_of
from caicach.workprogram.programs.rules import (
    items_for,
    program_items_for,
    program_requests_for,
    programs_for,
    requests_for,
)
from caicach.workprogram.programs.services import adjustment_request_approve, adjustment_request_return
from caicach.workprogram.reports.rules import (
    SCOPE_ALL,
    SCOPE_MINE,
    expected_units,
    kpi_covers,
    kpi_scope,
    report_units_for,
)
from tests.conftest import Org, People
from tests.core.factories import make_unit, person
from tests.workprogram.factories import Scene, add_item, file_request, make_program, make_scene, month

pytestmark = pytest.mark.django_db

PERSONAS = (
    "admin",
    "office_officer",
    "reform_officer",
    "unit_head",
    "unit_staff",
    "council_member",
    "committee_member",
    "leader",
    "outsider",
)


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


@pytest.fixture
def pending(scene: Scene, people: People) -> AdjustmentRequest:
    return file_request(scene.science_item, people.unit_staff)


def status_for(client: Client, user: User, method: str, url: str) -> int:
    client.force_login(user)
    response = client.post(url, {}) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


def expect(allowed: set[str], ok: int = 200) -> dict[str, int]:
    return {name: ok if name in allowed else 404 for name in PERSONAS}


OFFICE = {"admin", "office_officer"}
SCIENCE = {"unit_head", "unit_staff"}
# Who sees the science item: the Office, Science (lead), Home Affairs (coordinates: the
# reform officer and the council member work there) and the supervising leader.
SEES_SCIENCE_ITEM = OFFICE | SCIENCE | {"reform_officer", "council_member", "leader"}

Url = Callable[[Scene, AdjustmentRequest], str]


def plain(name: str) -> Url:
    return lambda scene, request: reverse(f"workprogram:{name}")


def on_program(name: str) -> Url:
    return lambda scene, request: reverse(f"workprogram:{name}", args=[scene.program.pk])


def on_item(name: str, which: str = "science_item") -> Url:
    return lambda scene, request: reverse(f"workprogram:{name}", args=[getattr(scene, which).pk])


def on_request(name: str) -> Url:
    return lambda scene, request: reverse(f"workprogram:{name}", args=[request.pk])


MATRIX: list[tuple[str, str, Url, dict[str, int]]] = [
    ("program list", "get", plain("program_list"), expect(set(PERSONAS))),
    ("request list", "get", plain("request_list"), expect(set(PERSONAS))),
    ("program page", "get", on_program("program_detail"), expect(SEES_SCIENCE_ITEM)),
    ("program create", "get", plain("program_create"), expect(OFFICE)),
    ("program edit", "get", on_program("program_update"), expect(OFFICE)),
    ("import", "get", on_program("program_import"), expect(OFFICE)),
    ("import template", "get", on_program("program_import_template"), expect(OFFICE)),
    ("item create", "get", on_program("item_create"), expect(OFFICE)),
    ("item page", "get", on_item("item_detail"), expect(SEES_SCIENCE_ITEM)),
    # The committee's leaders see the whole program, not only what they supervise.
    ("district item page", "get", on_item("item_detail", "district_item"), expect(OFFICE | {"leader"})),
    ("item edit", "get", on_item("item_update"), expect(OFFICE)),
    ("item submit", "post", on_item("item_submit", "science_other"), expect(OFFICE | SCIENCE, ok=400)),
    ("item issue", "post", on_item("item_issue", "science_other"), expect(OFFICE, ok=400)),
    ("adjust item", "get", on_item("request_create", "science_other"), expect({"admin"} | SCIENCE)),
    ("propose item", "get", on_program("request_add"), expect({"admin"} | SCIENCE)),
    ("request page", "get", on_request("request_detail"), expect(OFFICE | SCIENCE | {"leader"})),
    ("request tờ trình", "get", on_request("request_document"), expect(OFFICE | SCIENCE | {"leader"})),
    ("decide", "post", on_request("request_decide"), expect({"admin", "leader"}, ok=400)),
    ("decision notice while pending", "get", on_request("decision_document"), expect(set())),
]


@pytest.mark.parametrize(("page", "method", "url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_every_persona_gets_what_the_rules_allow(
    client: Client,
    people: People,
    scene: Scene,
    pending: AdjustmentRequest,
    page: str,
    method: str,
    url: Url,
    expected: dict[str, int],
) -> None:
    target = url(scene, pending)
    got = {name: status_for(client, getattr(people, name), method, target) for name in PERSONAS}
    assert got == expected, page


def test_anonymous_visitors_are_sent_to_log_in(client: Client, scene: Scene) -> None:
    response = client.get(reverse("workprogram:program_detail", args=[scene.program.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_decision_notice_opens_once_decided(
    client: Client, people: People, pending: AdjustmentRequest
) -> None:
    adjustment_request_approve(actor=people.leader, request=pending, version=pending.version)
    url = reverse("workprogram:decision_document", args=[pending.pk])
    got = {name: status_for(client, getattr(people, name), "get", url) for name in PERSONAS}
    assert got == expect(OFFICE | SCIENCE | {"leader"})


def test_a_leader_decides_only_what_is_addressed_to_them(
    client: Client, org: Org, people: People, pending: AdjustmentRequest
) -> None:
    other_leader = person("phochutich2", org.province, "leader", full_name="Lê Phó Chủ Tịch")
    client.force_login(other_leader)
    url = reverse("workprogram:request_decide", args=[pending.pk])
    assert client.post(url, {"decision": "approve", "version": pending.version}).status_code == 404
    client.force_login(people.leader)
    response = client.post(url, {"decision": "approve", "version": pending.version, "note": "Đồng ý."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by == people.leader


# --- Rules and queries in step -------------------------------------------------------------------------


def _wider_world(org: Org, people: People, scene: Scene) -> None:
    """More programs, items and requests around the scene, so a mismatch has room to show."""
    other_province = make_unit("BD", name="Ủy ban nhân dân tỉnh Bình Dương", kind="province_committee")
    make_unit("BD-SKHCN", name="Sở Khoa học và Công nghệ tỉnh Bình Dương", parent=other_province)
    district_program = make_program(org, people, issuing_unit=org.district)
    add_item(district_program, people.admin, org.district_home_affairs, month(4))
    add_item(district_program, people.admin, org.district, month(5), coordinating=[org.district_home_affairs])
    foreign = make_program(org, people, issuing_unit=other_province)
    add_item(foreign, people.admin, other_province, month(2))
    file_request(scene.home_affairs_item, people.admin)
    add_item(scene.program, people.admin, org.other_commune, month(11), leader=people.leader)
    # A member of staff's drafts, one awaiting the head, one returned: the unit's own until signed.
    file_request(scene.science_other, people.unit_staff, head_signs=False)
    returned = file_request(
        add_item(scene.program, people.admin, org.science, month(8), leader=people.leader),
        people.unit_staff,
        head_signs=False,
    )
    adjustment_request_return(actor=people.unit_head, request=returned, note="Bổ sung số liệu.", version=1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_queries_return_exactly_what_the_view_rules_allow(
    org: Org, people: People, scene: Scene, pending: AdjustmentRequest, persona: str
) -> None:
    _wider_world(org, people, scene)
    user = getattr(people, persona)
    for model, query in (
        (ProgramItem, items_for),
        (WorkProgram, programs_for),
        (AdjustmentRequest, requests_for),
    ):
        allowed = {obj.pk for obj in model.objects.all() if can(user, "view", obj)}
        listed = set(query(user).values_list("pk", flat=True))
        assert listed == allowed, (persona, model.__name__)
        assert len(query(user)) == len(listed), "no duplicates from the joins"
    assert_program_items_agree(user, persona)


def assert_program_items_agree(user: User, name: str) -> None:
    """A program's items and requests as its page counts them (``program_items_for``,
    ``program_requests_for``, which skip the scope when the user sees the program whole) are
    those the rule allows, for every program."""
    for program in WorkProgram.objects.all():
        listed = set(program_items_for(user, program).values_list("pk", flat=True))
        allowed = {item.pk for item in program.items.select_related("program") if can(user, "view", item)}
        assert listed == allowed, (name, program.pk)
        listed = set(program_requests_for(user, program).values_list("pk", flat=True))
        allowed = {r.pk for r in AdjustmentRequest.objects.filter(program=program) if can(user, "view", r)}
        assert listed == allowed, (name, program.pk, "requests")


# --- The committee's leaders see its whole program --------------------------------------------------


def _leaders(org: Org) -> dict[str, User]:
    """The province's Chairman, a district's Chairman and a district's vice-chairman: the
    province's leaders follow its program, never a district's, and the other way round."""
    return {
        "chairman": person("chutich.tinh", org.province, Role.CHAIRMAN, full_name="Lâm Chủ Tịch"),
        "district_chairman": person("chutich.huyen", org.district, Role.CHAIRMAN),
        "district_leader": person("phochutich.huyen", org.district, Role.LEADER),
    }


def test_the_chairman_and_the_leaders_see_every_item_of_their_committees_program_only(
    client: Client, org: Org, people: People, scene: Scene
) -> None:
    _wider_world(org, people, scene)
    leaders = _leaders(org)
    province_items = set(scene.program.items.values_list("pk", flat=True))
    district_items = set(
        ProgramItem.objects.filter(program__issuing_unit=org.district).values_list("pk", flat=True)
    )
    assert set(items_for(leaders["chairman"]).values_list("pk", flat=True)) == province_items
    # The vice-chairman (``leader``) supervises only some of the items, and sees them all.
    assert set(items_for(people.leader).values_list("pk", flat=True)) == province_items
    for name in ("district_chairman", "district_leader"):
        # The district's whole program, and of the province's only what the district leads.
        seen = set(items_for(leaders[name]).values_list("pk", flat=True))
        assert seen == district_items | {scene.district_item.pk}, name
    url = reverse("workprogram:item_detail", args=[scene.science_other.pk])  # nobody's supervision
    assert status_for(client, leaders["chairman"], "get", url) == 200
    assert status_for(client, leaders["district_leader"], "get", url) == 404


@pytest.mark.parametrize("name", ["chairman", "district_chairman", "district_leader"])
def test_the_leaders_list_queries_agree_with_the_view_rules(
    org: Org, people: People, scene: Scene, pending: AdjustmentRequest, name: str
) -> None:
    _wider_world(org, people, scene)
    user = _leaders(org)[name]
    for model, query in ((ProgramItem, items_for), (WorkProgram, programs_for)):
        allowed = {obj.pk for obj in model.objects.all() if can(user, "view", obj)}
        assert set(query(user).values_list("pk", flat=True)) == allowed, (name, model.__name__)
        assert len(query(user)) == len(allowed), "no duplicates from the joins"
    assert_program_items_agree(user, name)
    for program in WorkProgram.objects.all():
        in_query = set(program.items.filter(kpi_scope(user, program)).values_list("pk", flat=True))
        by_rule = {item.pk for item in program.items.select_related("program") if kpi_covers(user, item)}
        assert in_query == by_rule, (name, program.pk)
        if user.memberships.filter(unit_id=program.issuing_unit_id).exists():  # their committee's
            assert can(user, "view_reports", program), (name, program.pk)
            assert set(report_units_for(user, program)) == set(expected_units(program)), (name, program.pk)


def test_a_chairman_decides_what_is_addressed_to_him(org: Org, people: People, scene: Scene) -> None:
    chairman = _leaders(org)["chairman"]
    request = file_request(scene.science_item, people.unit_staff)
    AdjustmentRequest.objects.filter(pk=request.pk).update(leader=chairman)
    request.refresh_from_db()
    assert can(chairman, "decide", request)
    assert not can(people.leader, "decide", request)
    assert chairman in leaders_of(scene.program)


def test_a_vice_chairmans_kpi_page_opens_on_what_they_supervise_the_chairmans_on_all(
    client: Client, org: Org, people: People, scene: Scene
) -> None:
    chairman = _leaders(org)["chairman"]
    program = scene.program
    supervised = program.items.filter(supervising_leader=people.leader).count()
    every = program.items.exclude(status="withdrawn").count()
    assert 0 < supervised < every
    url = reverse("workprogram:kpi", args=[program.pk])

    def due(user: User, query: str = "") -> int:
        client.force_login(user)
        response = client.get(url + query)
        assert response.status_code == 200
        return int(response.context["total"].due)

    assert due(people.leader) == supervised
    assert due(people.leader, f"?pham_vi={SCOPE_ALL}") == every
    assert due(people.leader, f"?pham_vi={SCOPE_MINE}") == supervised
    assert due(chairman) == every
    assert due(chairman, f"?pham_vi={SCOPE_MINE}") == 0  # he supervises none of the scene's
    assert due(people.office_officer, f"?pham_vi={SCOPE_MINE}") == every  # no toggle: not a leader
