"""The demo's tasks: about 150, deterministic, with every class of the statistics present on
the day the story is told, and a statistics page that tells it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Unit, User
from caicach.deliberation.models import ConclusionPoint, Meeting, MeetingKind, MeetingStatus
from caicach.oversight.demo import DEMO_DAY
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskSource, TaskStatus
from tests.conftest import load_demo, on_day


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def test_demo_tasks_tell_a_story(demo: None, client: Client) -> None:
    province = Unit.objects.get(code="TN")
    tasks = Task.objects.filter(committee=province)
    assert 130 <= tasks.count() <= 160
    assert Task.objects.filter(committee__code="CT").exists()  # the legacy district's own
    assert tasks.filter(lead_unit__code="CT").exists()
    assert tasks.filter(status=TaskStatus.CANCELLED).exists()
    assert Extension.objects.filter(status=ExtensionStatus.APPROVED).count() >= 5
    assert Extension.objects.filter(status=ExtensionStatus.PENDING).exists()
    assert Extension.objects.filter(status=ExtensionStatus.REFUSED).exists()

    client.force_login(User.objects.get(username="vanphong"))
    with on_day(DEMO_DAY):
        response = client.get(reverse("oversight:statistics"), {"committee": province.pk, "year": 2024})
    assert response.status_code == 200
    total = response.context["total"]
    for name in ("done_on_time", "done_late", "overdue", "not_yet_due", "extended", "cancelled"):
        assert getattr(total, name) > 0, name
    units = [line["row"] for line in response.context["units"]]
    best, worst = units[0], [row for row in units if row.rank][-1]
    assert best.on_time_rate is not None and worst.on_time_rate is not None
    assert best.on_time_rate - worst.on_time_rate >= 20  # a story: leaders and laggards
    assert len(response.context["leaders"]) == 3
    assert "Thống kê nhiệm vụ" in response.content.decode()


def test_demo_loader_is_deterministic_and_runs_once(demo: None) -> None:
    from caicach.oversight.demo import load_demo_tasks

    before = list(Task.objects.order_by("pk").values_list("original_deadline", "status", "done_on"))
    load_demo_tasks()  # a second run adds nothing
    assert list(Task.objects.order_by("pk").values_list("original_deadline", "status", "done_on")) == before
    Task.objects.all().delete()
    Extension.objects.all().delete()
    load_demo_tasks()
    again = list(Task.objects.order_by("pk").values_list("original_deadline", "status", "done_on"))
    assert again == before


def test_demo_tasks_come_from_the_meetings_conclusion_points_when_there_are_some(demo: None) -> None:
    from caicach.oversight.demo import TARGET, load_demo_tasks

    province = Unit.objects.get(code="TN")
    Task.objects.all().delete()
    meeting = Meeting.objects.create(
        committee=province,
        kind=MeetingKind.REGULAR,
        title="Phiên họp UBND tỉnh thường kỳ tháng 3 năm 2024",
        date=datetime.date(2024, 3, 28),
        chair=User.objects.get(username="chutich"),
        status=MeetingStatus.CONCLUDED,
    )
    for position, code in enumerate(("TN-SXD", "TN-STC", "CT"), start=1):
        ConclusionPoint.objects.create(
            meeting=meeting,
            position=position,
            content=f"Kết luận số {position}: hoàn thành hồ sơ trình UBND tỉnh.",
            lead_unit=Unit.objects.get(code=code),
            deadline=datetime.date(2024, 5, 15),
        )
    load_demo_tasks()
    from_points = Task.objects.filter(source=TaskSource.CONCLUSION, conclusion_point__meeting=meeting)
    assert from_points.count() == 3
    assert set(from_points.values_list("assigned_by__username", flat=True)) == {"chutich"}
    assert Task.objects.count() == TARGET
