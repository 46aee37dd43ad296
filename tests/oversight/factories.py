"""Test data for oversight: bare task rows (fast, any state — for the urging, statistics and
list tests) and a meeting with conclusion points (for tasks made from a conclusion).

``make_task`` writes the row directly, so a test can put a task in any state on any day;
the follow-up services' own tests build theirs through the services."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from typing import Any

from caicach.core.models import Role, Unit, User
from caicach.deliberation.models import ConclusionPoint, Meeting, MeetingKind, MeetingStatus
from caicach.oversight.models import (
    Extension,
    ExtensionStatus,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)
from tests.conftest import Org, People
from tests.core.factories import person

SOURCE_DATE = datetime.date(2024, 3, 4)  # a Monday
DEADLINE = datetime.date(2024, 6, 28)  # a Friday

_numbers = itertools.count(1)


def chairman(org: Org) -> User:
    """The province's Chairman (``people.leader`` is a Vice-chairman, Role.LEADER)."""
    return person("chutich", org.province, Role.CHAIRMAN, full_name="Nguyễn Chủ Tịch", position="Chủ tịch")


def make_task(
    org: Org,
    people: People,
    *,
    lead_unit: Unit | None = None,
    coordinating: Sequence[Unit] = (),
    assigned_by: User | None = None,
    committee: Unit | None = None,
    deadline: datetime.date = DEADLINE,
    original_deadline: datetime.date | None = None,
    source: str = TaskSource.DOCUMENT,
    source_date: datetime.date = SOURCE_DATE,
    status: str = TaskStatus.ASSIGNED,
    done_on: datetime.date | None = None,
    content: str = "",
    **extra: Any,
) -> Task:
    """A task of the province committee led by Science & Technology, assigned by the
    Vice-chairman (``people.leader``) unless told otherwise. ``done_on`` defaults to the
    deadline for a done task; a cancelled task gets a reason."""
    n = next(_numbers)
    if status == TaskStatus.DONE and done_on is None:
        done_on = deadline
    values: dict[str, Any] = {
        "source_reference": f"{n}/TB-UBND" if source != TaskSource.ORAL else "",
        "source_title": f"Thông báo kết luận số {n}",
        "cancel_reason": "Không còn phù hợp" if status == TaskStatus.CANCELLED else "",
        "created_by": people.office_officer,
    }
    values.update(extra)
    task = Task.objects.create(
        committee=committee or org.province,
        source=source,
        source_date=source_date,
        content=content or f"Nhiệm vụ thử nghiệm số {n}",
        assigned_by=assigned_by or people.leader,
        lead_unit=lead_unit or org.science,
        original_deadline=original_deadline or deadline,
        deadline=deadline,
        status=status,
        done_on=done_on,
        **values,
    )
    if coordinating:
        task.coordinating_units.set(coordinating)
    return task


def add_progress(task: Task, user: User, percent: int, day: datetime.date, note: str = "") -> TaskProgress:
    return TaskProgress.objects.create(
        task=task, percent=percent, note=note or f"Đã thực hiện {percent}%", reported_on=day, reported_by=user
    )


def add_extension(
    task: Task,
    user: User,
    proposed: datetime.date,
    *,
    status: str = ExtensionStatus.PENDING,
    decided_by: User | None = None,
) -> Extension:
    """A bare extension row; an approved one moves the task's deadline to ``proposed``."""
    extension = Extension.objects.create(
        task=task,
        reason="Cần thêm thời gian lấy ý kiến",
        previous_deadline=task.deadline,
        proposed_deadline=proposed,
        requested_by=user,
        status=status,
        new_deadline=proposed if status == ExtensionStatus.APPROVED else None,
        decided_by=decided_by,
    )
    if status == ExtensionStatus.APPROVED:
        Task.objects.filter(pk=task.pk).update(deadline=proposed)
        task.refresh_from_db()
    return extension


def make_meeting(
    org: Org,
    people: People,
    *,
    day: datetime.date = SOURCE_DATE,
    chair: User | None = None,
    title: str = "Phiên họp UBND tỉnh thường kỳ tháng 3",
) -> Meeting:
    return Meeting.objects.create(
        committee=org.province,
        kind=MeetingKind.REGULAR,
        title=title,
        date=day,
        chair=chair or chairman(org),
        status=MeetingStatus.HELD,
        created_by=people.office_officer,
    )


def add_point(
    meeting: Meeting,
    content: str,
    *,
    lead_unit: Unit | None = None,
    deadline: datetime.date | None = None,
    coordinating: Sequence[Unit] = (),
) -> ConclusionPoint:
    position = meeting.conclusion_points.count() + 1
    point = ConclusionPoint.objects.create(
        meeting=meeting, position=position, content=content, lead_unit=lead_unit, deadline=deadline
    )
    if coordinating:
        point.coordinating_units.set(coordinating)
    return point


def task_data(org: Org, people: People, **overrides: Any) -> dict[str, Any]:
    """What the Office types to assign a task (through ``task_create``)."""
    data: dict[str, Any] = {
        "source": TaskSource.DOCUMENT,
        "source_reference": f"{next(_numbers)}/UBND-VP",
        "source_date": SOURCE_DATE,
        "source_title": "Về việc triển khai chuyển đổi số",
        "content": "Xây dựng kế hoạch chuyển đổi số năm 2024",
        "assigned_by": people.leader,
        "lead_unit": org.science,
        "coordinating_units": [org.home_affairs],
        "deadline_kind": "date",
        "deadline": DEADLINE,
        "expected_result_kind": "document",
        "expected_result": "Kế hoạch trình UBND tỉnh",
        "monitoring_officer": people.office_officer,
    }
    data.update(overrides)
    return data


def assign_task(org: Org, people: People, day: datetime.date = SOURCE_DATE, **overrides: Any) -> Task:
    """A task assigned by the Office through the service, on ``day``."""
    from caicach.oversight.followup.services import task_create
    from tests.conftest import on_day

    with on_day(day):
        return task_create(
            actor=people.office_officer, committee=org.province, data=task_data(org, people, **overrides)
        )
