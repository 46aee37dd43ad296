"""Who sees and does what with tasks: the rule and its list twin agree over a matrix of
personas and tasks, and every page answers per persona (outsider 404, anonymous → login)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskProgress, TaskStatus
from caicach.oversight.rules import pending_extensions_for, tasks_for
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.oversight.factories import add_extension, chairman, make_task

pytestmark = pytest.mark.django_db

DURING = datetime.date(2024, 5, 20)


def personas(org: Org, people: People) -> dict[str, User]:
    return {
        "admin": people.admin,
        "office": people.office_officer,
        "assigner": people.leader,  # Vice-chairman, assigns the tasks below
        "other_leader": chairman(org),
        "unit_head": people.unit_head,  # Science: the lead unit
        "unit_staff": people.unit_staff,
        "coordinator": person("phoihop", org.home_affairs, Role.UNIT_STAFF, full_name="Cán Bộ Phối Hợp"),
        "reform_officer": people.reform_officer,  # works in Home Affairs: a coordinating unit
        "member": people.committee_member,
        "outsider": people.outsider,
    }


@pytest.fixture
def tasks(org: Org, people: People) -> list[Task]:
    district_office = person("vphuyen", org.district, Role.OFFICE_OFFICER)
    district_chair = person("cthuyen", org.district, Role.CHAIRMAN)
    del district_office
    other = make_unit("KHAC", name="Sở Khác", parent=org.province)
    return [
        make_task(org, people, coordinating=[org.home_affairs]),
        make_task(org, people, lead_unit=other, assigned_by=chairman(org)),
        make_task(org, people, status=TaskStatus.DONE),
        make_task(org, people, status=TaskStatus.CANCELLED, lead_unit=other),
        make_task(
            org,
            people,
            committee=org.district,
            lead_unit=org.district_home_affairs,
            assigned_by=district_chair,
        ),
    ]


def test_rule_and_twin_agree_for_every_persona(org: Org, people: People, tasks: list[Task]) -> None:
    for name, user in personas(org, people).items():
        listed = set(tasks_for(user).values_list("pk", flat=True))
        allowed = {task.pk for task in tasks if can(user, "view", task)}
        assert listed == allowed, name


def test_who_sees_what(org: Org, people: People, tasks: list[Task]) -> None:
    led, other_unit, done, cancelled, district = tasks
    who = personas(org, people)
    assert {t.pk for t in tasks_for(who["office"])} == {t.pk for t in tasks}  # the province Office covers all
    assert set(tasks_for(who["assigner"])) == {led, other_unit, done, cancelled}
    assert set(tasks_for(who["unit_staff"])) == {led, done}
    assert set(tasks_for(who["coordinator"])) == {led}
    assert not tasks_for(who["member"]).exists()
    assert not tasks_for(who["outsider"]).exists()
    # Actions
    assert can(who["unit_staff"], "report", led) and not can(who["coordinator"], "report", led)
    assert not can(who["office"], "report", led)
    assert can(who["office"], "change", led) and not can(who["office"], "change", done)
    assert can(who["assigner"], "cancel", led) and not can(who["assigner"], "cancel", other_unit)
    assert can(who["other_leader"], "cancel", other_unit)
    assert not can(who["assigner"], "change", led)
    del district


def test_who_decides_an_extension(org: Org, people: People, tasks: list[Task]) -> None:
    led = tasks[0]
    extension = add_extension(led, people.unit_head, datetime.date(2024, 7, 31))
    who = personas(org, people)
    deciders = {name for name, user in who.items() if can(user, "decide", extension)}
    assert deciders == {"admin", "office", "assigner"}
    for name, user in who.items():
        pending = pending_extensions_for(user)
        # The admin may decide but gets no to-do of it (the home page lists one's roles' work).
        no_todo = ("admin", "unit_head", "unit_staff", "coordinator", "reform_officer", "member", "outsider")
        if name in no_todo:
            assert pending is None, name
        elif name == "other_leader":
            assert pending is not None and not pending.exists()
        else:
            assert pending is not None and list(pending) == [extension], name


# --- Pages ---------------------------------------------------------------------------------------


DETAIL_200 = {
    "admin",
    "office",
    "assigner",
    "other_leader",
    "unit_head",
    "unit_staff",
    "coordinator",
    "reform_officer",
}


def test_detail_page_matrix(client: Client, org: Org, people: People, tasks: list[Task]) -> None:
    led = tasks[0]
    url = reverse("oversight:task_detail", args=[led.pk])
    response = client.get(url)
    assert (response.status_code == 302 and "/login" in response["Location"]) or "dang-nhap" in response[
        "Location"
    ]
    for name, user in personas(org, people).items():
        client.force_login(user)
        with on_day(DURING):
            status = client.get(url).status_code
        assert status == (200 if name in DETAIL_200 else 404), name


def test_list_shows_only_what_each_may_see(
    client: Client, org: Org, people: People, tasks: list[Task]
) -> None:
    assert client.get(reverse("oversight:task_list")).status_code == 302
    for name, user in personas(org, people).items():
        client.force_login(user)
        with on_day(DURING):
            response = client.get(reverse("oversight:task_list"))
        assert response.status_code == 200
        shown = {row.pk for row in response.context["page_obj"]}
        assert shown == set(tasks_for(user).values_list("pk", flat=True)), name


def _post_progress(client: Client, task: Task) -> int:
    with on_day(DURING):
        return client.post(
            reverse("oversight:task_progress", args=[task.pk]),
            {"version": task.version, "percent": 30, "note": "Đã triển khai"},
        ).status_code


def test_progress_matrix(client: Client, org: Org, people: People, tasks: list[Task]) -> None:
    led = tasks[0]
    for name, user in personas(org, people).items():
        client.force_login(user)
        before = TaskProgress.objects.count()
        status = _post_progress(client, led)
        led.refresh_from_db()
        wrote = TaskProgress.objects.count() - before
        if name in ("unit_head", "unit_staff", "admin"):
            assert (status, wrote) == (302, 1), name
        elif name in DETAIL_200:
            # Sees the task but may not report: back on its page with a message, nothing written.
            assert (status, wrote) == (302, 0), name
        else:
            assert (status, wrote) == (404, 0), name


def test_extension_decision_matrix(client: Client, org: Org, people: People, tasks: list[Task]) -> None:
    led = tasks[0]
    for name, user in personas(org, people).items():
        Extension.objects.all().delete()
        Task.objects.filter(pk=led.pk).update(deadline=led.original_deadline)
        extension = add_extension(led, people.unit_head, datetime.date(2024, 7, 31))
        client.force_login(user)
        with on_day(DURING):
            status = client.post(
                reverse("oversight:extension_decide", args=[extension.pk]),
                {"version": 1, "decision": "approve", "new_deadline": "31/07/2024", "note": ""},
            ).status_code
        extension.refresh_from_db()
        approved = extension.status == ExtensionStatus.APPROVED
        if name in ("admin", "office", "assigner"):
            assert (status, approved) == (302, True), name
        elif name in DETAIL_200:
            assert (status, approved) == (302, False), name
        else:
            assert (status, approved) == (404, False), name


@pytest.mark.parametrize(
    "url_name", ["oversight:task_create", "oversight:task_import", "oversight:conclusion_meetings"]
)
def test_assigning_pages_are_the_offices(client: Client, org: Org, people: People, url_name: str) -> None:
    assert client.get(reverse(url_name)).status_code == 302
    for name, user in personas(org, people).items():
        client.force_login(user)
        status = client.get(reverse(url_name)).status_code
        assert status == (200 if name in ("admin", "office") else 404), name


def test_edit_page(client: Client, org: Org, people: People, tasks: list[Task]) -> None:
    led, _other, done, *_rest = tasks
    for name, user in personas(org, people).items():
        client.force_login(user)
        status = client.get(reverse("oversight:task_edit", args=[led.pk])).status_code
        expected = 200 if name in ("admin", "office") else (302 if name in DETAIL_200 else 404)
        assert status == expected, name
    client.force_login(people.office_officer)
    # A closed task: a message on its page, not a 404.
    response = client.get(reverse("oversight:task_edit", args=[done.pk]))
    assert response.status_code == 302 and response["Location"] == done.get_absolute_url()
