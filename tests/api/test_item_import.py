"""The Office imports a program's items through the API with the checks of the Excel import:
all or nothing, each bad row named in ``fields``, a retried request imports once, and only
the Office covering the program may import."""

from __future__ import annotations

from typing import Any

import pytest

from caicach.api.scopes import READ
from caicach.core.models import AuditEvent
from caicach.workprogram.models import ItemStatus, ProgramItem
from tests.api.conftest import Scene
from tests.conftest import Org, People
from tests.workprogram.factories import make_bare_program


def url(scene: Scene) -> str:
    return f"/workprogram/programs/{scene.program.pk}/items/import"


def row(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "submission_kind": "committee",
        "lead_unit": "SKHCN",
        "coordinating_units": ["SNV"],
        "supervising_leader": "lanhdao",
        "due_month": "2024-06-17",
        **extra,
    }


def test_the_office_imports_items_with_their_units_and_leader(
    scene: Scene, org: Org, people: People, api_for: Any
) -> None:
    before = ProgramItem.objects.filter(program=scene.program).count()
    response = api_for(people.office_officer).post(
        url(scene),
        {"rows": [row("Đề án số hóa hồ sơ khoa học"), row("Quy chế phối hợp", is_legal_document=True)]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 2
    item = ProgramItem.objects.get(pk=body["item_ids"][0])
    assert item.title == "Đề án số hóa hồ sơ khoa học"
    assert item.lead_unit == org.science
    assert list(item.coordinating_units.all()) == [org.home_affairs]
    assert item.supervising_leader == people.leader
    assert item.due_month.isoformat() == "2024-06-01" and item.status == ItemStatus.PLANNED
    assert ProgramItem.objects.get(pk=body["item_ids"][1]).is_legal_document
    assert ProgramItem.objects.filter(program=scene.program).count() == before + 2
    event = AuditEvent.objects.get(action="program.import", object_id=str(scene.program.pk))
    assert "API" in event.message and event.actor == people.office_officer


def test_one_bad_row_imports_nothing_and_names_each_row(scene: Scene, people: People, api_for: Any) -> None:
    before = ProgramItem.objects.count()
    response = api_for(people.office_officer).post(
        url(scene),
        {
            "rows": [
                row("Nội dung đúng"),
                row("Nội dung sai đơn vị", lead_unit="KHONGCO"),
                row("Nội dung sai năm", due_month="2025-01-01"),
            ]
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rows"
    assert set(body["fields"]) == {"rows.2", "rows.3"}
    assert "KHONGCO" in body["fields"]["rows.2"][0]
    assert "2024" in body["fields"]["rows.3"][0]
    assert ProgramItem.objects.count() == before
    assert not AuditEvent.objects.filter(action="program.import").exists()


def test_a_title_already_in_the_program_is_refused(scene: Scene, people: People, api_for: Any) -> None:
    response = api_for(people.office_officer).post(url(scene), {"rows": [row(scene.science_item.title)]})
    assert response.status_code == 400
    assert "rows.1" in response.json()["fields"]


def test_a_retried_import_with_the_same_key_imports_once(scene: Scene, people: People, api_for: Any) -> None:
    api = api_for(people.office_officer)
    payload = {"rows": [row("Đề án gửi lại")]}
    first = api.post(url(scene), payload, headers={"Idempotency-Key": "nhap-01"})
    again = api.post(url(scene), payload, headers={"Idempotency-Key": "nhap-01"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert ProgramItem.objects.filter(title="Đề án gửi lại").count() == 1


def test_a_failed_import_does_not_use_up_its_key(scene: Scene, people: People, api_for: Any) -> None:
    api = api_for(people.office_officer)
    key = {"Idempotency-Key": "k"}
    bad = api.post(url(scene), {"rows": [row("Đề án", lead_unit="KHONGCO")]}, headers=key)
    assert bad.status_code == 400
    good = api.post(url(scene), {"rows": [row("Đề án")]}, headers=key)
    assert good.status_code == 200 and good.json()["created"] == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    # Who sees the program (the outsider leads an item in it) is refused with a reason.
    [("unit_staff", 403), ("unit_head", 403), ("reform_officer", 403), ("outsider", 403), ("admin", 200)],
)
def test_only_the_office_covering_the_program_imports(
    scene: Scene, people: People, api_for: Any, persona: str, status: int
) -> None:
    response = api_for(getattr(people, persona)).post(url(scene), {"rows": [row("Đề án thử quyền")]})
    assert response.status_code == status, response.content
    assert ProgramItem.objects.filter(title="Đề án thử quyền").exists() == (status == 200)


def test_a_program_the_caller_does_not_see_is_not_found(org: Org, people: People, api_for: Any) -> None:
    district_program = make_bare_program(org.district)
    response = api_for(people.unit_staff).post(
        f"/workprogram/programs/{district_program.pk}/items/import", {"rows": [row("Đề án huyện")]}
    )
    assert response.status_code == 404
    assert not ProgramItem.objects.filter(title="Đề án huyện").exists()


def test_a_read_only_token_cannot_import(scene: Scene, people: People, api_for: Any) -> None:
    api = api_for(people.office_officer, [f"workprogram:{READ}"])
    response = api.post(url(scene), {"rows": [row("Đề án chỉ đọc")]})
    assert response.status_code == 403 and response.json()["code"] == "scope"


def test_too_many_rows_are_refused_before_any_check(scene: Scene, people: People, api_for: Any) -> None:
    rows = [row(f"Đề án {n}") for n in range(1001)]
    response = api_for(people.office_officer).post(url(scene), {"rows": rows})
    assert response.status_code == 422
    assert "rows" in response.json()["fields"]
