"""Who sees the statistics, the drill-down and the periodic report: the Office and the
committee's leaders everything of the committee, a unit head their own unit's row only,
anybody else 404 (anonymous: the login page). The rules and their query twins agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.oversight.models import Task, TaskReport
from caicach.oversight.statistics.rules import statistics_scope, task_counts_for, task_reports_for
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.oversight.statistics.factories import TODAY, Dataset, make_task, mixed_dataset


@pytest.fixture
def data(org: Org, people: People) -> Dataset:
    return mixed_dataset(org, people)


def _users(org: Org, people: People, data: Dataset) -> dict[str, User]:
    return {
        "office": people.office_officer,
        "leader": people.leader,
        "chairman": data.chairman,
        "member": people.committee_member,
        "unit_head": people.unit_head,
        "unit_staff": people.unit_staff,
        "outsider": people.outsider,
        "district_leader": User.objects.get(username="lanhdao.huyen"),
    }


PAGE = {
    "office": 200,
    "leader": 200,
    "chairman": 200,
    "member": 404,
    "unit_head": 200,
    "unit_staff": 404,
    "outsider": 404,
    "district_leader": 200,
}


@pytest.mark.parametrize(("who", "status"), sorted(PAGE.items()))
def test_statistics_page_matrix(
    client: Client, org: Org, people: People, data: Dataset, who: str, status: int
) -> None:
    client.force_login(_users(org, people, data)[who])
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"year": 2024})
        drill = client.get(
            reverse("oversight:statistics_drill_down"), {"from": "2024-01-01", "to": "2024-12-31"}
        )
    assert response.status_code == status
    assert drill.status_code == status


def test_anonymous_goes_to_the_login_page(client: Client, org: Org) -> None:
    for name in ("oversight:statistics", "oversight:statistics_drill_down", "oversight:task_report"):
        response = client.get(reverse(name))
        assert (response.status_code == 302 and "login" in response["Location"]) or "dang-nhap" in response[
            "Location"
        ]


def test_a_unit_head_sees_only_their_unit(client: Client, org: Org, people: People, data: Dataset) -> None:
    client.force_login(people.unit_head)
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"year": 2024})
        keys = {line["row"].key for line in response.context["units"]}
        assert keys == {org.science.pk}
        assert response.context["leaders"] == [] and response.context["sources"] == []
        # Another unit's drill-down, or the committee's whole figures: 404.
        url = reverse("oversight:statistics_drill_down")
        assert client.get(url, {"lead_unit": org.home_affairs.pk}).status_code == 404
        assert client.get(url, {"committee": org.province.pk}).status_code == 404
        assert client.get(reverse("oversight:statistics"), {"committee": org.province.pk}).status_code == 404
        own = client.get(url, {"lead_unit": str(org.science.pk), "from": "2024-01-01", "to": "2024-12-31"})
        assert own.status_code == 200
        shown = [row.pk for row in own.context["page_obj"]]
        assert shown and set(Task.objects.filter(pk__in=shown).values_list("lead_unit_id", flat=True)) == {
            org.science.pk
        }


def test_a_leader_of_the_district_does_not_see_the_province(
    client: Client, org: Org, people: People, data: Dataset
) -> None:
    leader = User.objects.get(username="lanhdao.huyen")
    client.force_login(leader)
    with on_day(TODAY):
        assert client.get(reverse("oversight:statistics"), {"committee": org.province.pk}).status_code == 404
        response = client.get(reverse("oversight:statistics"), {"year": 2024})
    assert {line["row"].key for line in response.context["units"]} == {org.district_home_affairs.pk}


def test_the_province_office_sees_the_district_too(
    client: Client, org: Org, people: People, data: Dataset
) -> None:
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(reverse("oversight:statistics"), {"committee": org.district.pk, "year": 2024})
    assert response.status_code == 200
    assert response.context["total"].assigned == 2


def test_rules_and_their_twin_agree(org: Org, people: People, data: Dataset) -> None:
    users = [*_users(org, people, data).values(), people.admin]
    tasks = list(Task.objects.select_related("committee"))
    for user in users:
        for committee in (org.province, org.district, None):
            if committee is not None and not can(user, "oversight.statistics", committee):
                continue
            scoped = set(Task.objects.filter(statistics_scope(user, committee)).values_list("pk", flat=True))
            assert all(task_counts_for(user, task) for task in tasks if task.pk in scoped), user
        visible = {t.pk for t in tasks if task_counts_for(user, t)}
        union = set()
        for committee in (org.province, org.district):
            if can(user, "oversight.statistics", committee):
                union |= set(
                    Task.objects.filter(statistics_scope(user, committee)).values_list("pk", flat=True)
                )
        union |= set(Task.objects.filter(statistics_scope(user, None)).values_list("pk", flat=True))
        assert visible == union, user.username


def test_task_reports_twin(org: Org, people: People, data: Dataset) -> None:
    reports = [
        TaskReport.objects.create(
            committee=committee,
            period_start=TODAY.replace(month=1, day=1),
            period_end=TODAY,
            recipients="- Lưu: VT.",
        )
        for committee in (org.province, org.district)
    ]
    for user in [*_users(org, people, data).values(), people.admin]:
        listed = set(task_reports_for(user).values_list("pk", flat=True))
        assert listed == {r.pk for r in reports if can(user, "view", r)}, user.username


def test_staff_with_two_roles(org: Org, people: People, data: Dataset) -> None:
    """A unit head who is also a committee member sees only their unit (membership alone is
    no window on the committee's figures)."""
    head = person("thanhvien2", org.home_affairs, Role.UNIT_HEAD)
    person("thanhvien2", org.province, Role.COMMITTEE_MEMBER)
    assert not can(head, "oversight.statistics", org.province)
    assert set(Task.objects.filter(statistics_scope(head, None)).values_list("lead_unit_id", flat=True)) == {
        org.home_affairs.pk
    }


def test_the_committees_offered_are_those_with_tasks_and_follow_new_tasks(
    client: Client, org: Org, people: People, data: Dataset
) -> None:
    """The Office is offered the committees it sees whole that have tasks (kept between
    visits), the first shown by default; one it sees without tasks is shown when asked for,
    and is offered from its first task on; a committee it does not see, or nonsense, is 404."""
    client.force_login(people.office_officer)
    url = reverse("oversight:statistics")

    def offered(params: dict[str, Any]) -> tuple[Any, list[int]]:
        with on_day(TODAY):
            response = client.get(url, {**params, "year": 2024})
        assert response.status_code == 200
        choices = response.context["form"].fields["committee"].choices
        return response.context["committee"], [pk for pk, _label in choices]

    assert offered({}) == (org.province, [org.province.pk, org.district.pk])
    assert offered({"committee": org.district.pk}) == (org.district, [org.province.pk, org.district.pk])
    assert offered({"committee": org.commune.pk}) == (
        org.commune,
        [org.commune.pk, org.province.pk, org.district.pk],
    )
    make_task(
        committee=org.commune, lead_unit=org.commune, assigned_by=people.leader, original_deadline=TODAY
    )
    assert offered({}) == (org.province, [org.province.pk, org.district.pk, org.commune.pk])
    with on_day(TODAY):
        for wanted in (org.science.pk, "x", 0):
            assert client.get(url, {"committee": wanted}).status_code == 404, wanted
