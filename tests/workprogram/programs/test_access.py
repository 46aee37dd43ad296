"""Who sees and does what: the Office sees and manages everything of its
committee; a unit sees the items it leads or coordinates and files requests for those it
leads; a leader sees what they supervise and decides; outsiders get 404. Every page is
checked for every persona, and the list queries are kept in step with the rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from caicach.core.permissions import can
from caicach.workprogram.models import AdjustmentRequest, ProgramItem, WorkProgram
from caicach.workprogram.programs.rules import items_for, programs_for, requests_for
from caicach.workprogram.programs.services import adjustment_request_approve, adjustment_request_return
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
    ("district item page", "get", on_item("item_detail", "district_item"), expect(OFFICE)),
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
