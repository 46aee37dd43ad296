"""Assigned tasks through the API: each caller lists and reads the tasks the site shows them
(the lead unit, the coordinating unit, the Office), never another commune's; the lead unit
files progress with the task's version (stale: 409; a retry files once); the Office imports
tasks all or nothing with the spreadsheet import's checks."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caicach.api.scopes import READ
from caicach.core.models import AuditEvent
from caicach.oversight.followup.queries import timeliness_now
from caicach.oversight.models import OversightSettings, Task, TaskProgress, TaskStatus
from tests.api.scene_oversight import OversightScene
from tests.conftest import Org, People, on_day
from tests.oversight.factories import make_task

# The token (read, its use noted, the security log), the caller's memberships and scope, the
# committees' settings for the timeliness CASE (read again when the items are made: a change
# renews them), the tasks (on PostgreSQL, after the id of the table's 2,000th newest row,
# their keys, kept, then the tasks by key: caicach.api.pagination), their coordinating
# units: 1 row or 33.
LIST_CEILING = 13


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_each_caller_lists_only_the_tasks_the_site_shows_them(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    scene = oversight_scene
    staff = ids(api_for(people.unit_staff).get("/oversight/tasks"))
    assert staff == {scene.science_task.pk, scene.done_task.pk}
    # Home Affairs coordinates the science task; the province Office covers both province tasks.
    assert scene.science_task.pk in ids(api_for(people.reform_officer).get("/oversight/tasks"))
    assert ids(api_for(people.outsider).get("/oversight/tasks")) == {scene.outsider_task.pk}
    # The province's Office covers the province's tree, the communes' committees included.
    office = ids(api_for(people.office_officer).get("/oversight/tasks"))
    assert office == {scene.science_task.pk, scene.done_task.pk, scene.outsider_task.pk}


def test_the_list_filters_and_searches(oversight_scene: OversightScene, people: People, api_for: Any) -> None:
    api = api_for(people.unit_staff)
    assert ids(api.get("/oversight/tasks", status="done")) == {oversight_scene.done_task.pk}
    assert ids(api.get("/oversight/tasks", q="chuyen doi so")) == {oversight_scene.science_task.pk}
    assert ids(api.get("/oversight/tasks", timeliness="done_on_time")) == {oversight_scene.done_task.pk}
    assert ids(api.get("/oversight/tasks", deadline_to="2024-01-31")) == set()


def test_a_task_reads_with_its_progress_and_timeliness(
    oversight_scene: OversightScene, org: Org, people: People, api_for: Any
) -> None:
    response = api_for(people.unit_staff).get(f"/oversight/tasks/{oversight_scene.science_task.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["lead_unit_id"] == org.science.pk
    assert body["coordinating_unit_ids"] == [org.home_affairs.pk]
    assert body["timeliness"] in {"overdue", "due_soon", "not_yet_due"}
    assert body["has_pending_extension"] is False
    assert [note["note"] for note in body["progress"]] == ["Đã xin ý kiến các sở"]
    assert body["progress"][0]["reported_by_name"] == people.unit_staff.full_name


def test_another_communes_task_is_not_found(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    response = api_for(people.outsider).get(f"/oversight/tasks/{oversight_scene.science_task.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def progress(api: Any, task: Task, version: Any, key: str | None = None, **body: Any) -> Any:
    headers = {"If-Match": str(version)}
    if key:
        headers["Idempotency-Key"] = key
    payload = {"percent": 60, "note": "Đang tổng hợp", **body}
    return api.post(f"/oversight/tasks/{task.pk}/progress", payload, headers)


def test_the_lead_unit_files_progress_with_the_tasks_version(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    task = oversight_scene.science_task
    response = progress(api_for(people.unit_staff), task, task.version)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress" and body["progress_percent"] == 60
    assert body["version"] == task.version + 1
    assert body["progress"][0]["note"] == "Đang tổng hợp"
    assert AuditEvent.objects.filter(action="task.progress", object_id=str(task.pk)).count() == 1


def test_a_stale_or_missing_version_changes_nothing(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    task = oversight_scene.science_task
    api = api_for(people.unit_staff)
    assert progress(api, task, task.version).status_code == 200
    stale = progress(api, task, task.version, note="Bản cũ")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    missing = api.post(f"/oversight/tasks/{task.pk}/progress", {"percent": 70, "note": "Không phiên bản"})
    assert missing.status_code == 400 and missing.json()["code"] == "if_match_required"
    assert TaskProgress.objects.filter(task=task).count() == 2  # the scene's and the first one


def test_a_retried_progress_report_files_once(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    task = oversight_scene.science_task
    api = api_for(people.unit_staff)
    first = progress(api, task, task.version, key="tien-do-1")
    again = progress(api, task, task.version, key="tien-do-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert TaskProgress.objects.filter(task=task, note="Đang tổng hợp").count() == 1


def test_a_done_task_takes_no_progress_and_says_why(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    task = oversight_scene.done_task
    response = progress(api_for(people.unit_staff), task, task.version)
    assert response.status_code == 400 and response.json()["code"] == "closed"
    assert not TaskProgress.objects.filter(task=task).exists()


def test_a_coordinating_unit_reads_but_does_not_report(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    task = oversight_scene.science_task
    response = progress(api_for(people.reform_officer), task, task.version)
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.progress_percent == 0


def import_row(content: str, **extra: Any) -> dict[str, Any]:
    return {
        "content": content,
        "source": "document",
        "source_reference": "125/TB-UBND",
        "source_date": "2024-04-26",
        "assigned_by": "lanhdao",
        "lead_unit": "SKHCN",
        "coordinating_units": ["SNV"],
        "deadline_kind": "working_days",
        "deadline_working_days": 3,
        "expected_result": "Báo cáo UBND tỉnh",
        **extra,
    }


def test_the_office_imports_tasks(org: Org, people: People, api_for: Any) -> None:
    response = api_for(people.office_officer).post(
        f"/oversight/committees/{org.province.pk}/tasks/import",
        {"rows": [import_row("Rà soát quy trình"), import_row("Báo cáo quý", deadline_kind="quarterly")]},
    )
    assert response.status_code == 200, response.content
    first, second = Task.objects.filter(pk__in=response.json()["task_ids"]).order_by("pk")
    # 26/4/2024 + 3 working days: 29/4, then 30/4 and 1/5 are holidays, 2/5, 3/5.
    assert (first.lead_unit, first.deadline.isoformat(), first.status) == (
        org.science,
        "2024-05-03",
        TaskStatus.ASSIGNED,
    )
    assert list(first.coordinating_units.all()) == [org.home_affairs]
    assert second.deadline_kind == "quarterly"
    assert AuditEvent.objects.filter(action="task.create", message="Nhập qua API").count() == 2


def test_one_bad_task_imports_none(org: Org, people: People, api_for: Any) -> None:
    response = api_for(people.office_officer).post(
        f"/oversight/committees/{org.province.pk}/tasks/import",
        {
            "rows": [
                import_row("Nhiệm vụ đúng"),
                import_row("Nhiệm vụ sai lãnh đạo", assigned_by="khongco"),
                import_row("Nhiệm vụ thiếu hạn", deadline_kind="date"),
            ]
        },
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"rows.2", "rows.3"}
    assert not Task.objects.exists()


@pytest.mark.parametrize("persona", ["unit_staff", "reform_officer", "outsider"])
def test_only_the_office_imports_tasks(org: Org, people: People, api_for: Any, persona: str) -> None:
    response = api_for(getattr(people, persona)).post(
        f"/oversight/committees/{org.province.pk}/tasks/import", {"rows": [import_row("Nhiệm vụ thử quyền")]}
    )
    assert response.status_code == 404
    assert not Task.objects.exists()


def test_a_read_only_token_reads_but_does_not_write(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    api = api_for(people.unit_staff, [f"oversight:{READ}"])
    assert api.get("/oversight/tasks").status_code == 200
    task = oversight_scene.science_task
    response = progress(api, task, task.version)
    assert response.status_code == 403 and response.json()["code"] == "scope"


def test_the_list_costs_the_same_whatever_its_length(
    oversight_scene: OversightScene,
    org: Org,
    people: People,
    api_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    api = api_for(people.office_officer)
    with django_assert_max_num_queries(LIST_CEILING):
        assert api.get("/oversight/tasks").status_code == 200
    for _ in range(30):
        make_task(org, people, coordinating=[org.home_affairs, org.office])
    with django_assert_max_num_queries(LIST_CEILING):
        assert len(api.get("/oversight/tasks", limit=100).json()["items"]) == 33


def test_a_listed_tasks_timeliness_follows_its_committees_setting_at_once(
    oversight_scene: OversightScene, people: People, api_for: Any
) -> None:
    """The list's items are kept; a committee that widens its "due soon" window sees its
    task as due soon on the next call, as the task's own page reads it."""
    task = oversight_scene.science_task
    monday = datetime.date(2024, 6, 3)
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.IN_PROGRESS, deadline=monday + datetime.timedelta(days=14)
    )
    api = api_for(people.unit_staff)

    def listed() -> str:
        rows = api.get("/oversight/tasks").json()["items"]
        return str(next(row["timeliness"] for row in rows if row["id"] == task.pk))

    with on_day(monday):
        assert listed() == "not_yet_due" and listed() == "not_yet_due"
        OversightSettings.objects.update_or_create(
            unit_id=task.committee_id, defaults={"due_soon_working_days": 15}
        )
        assert listed() == "due_soon" == timeliness_now(Task.objects.get(pk=task.pk), monday)
