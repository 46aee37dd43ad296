"""Tasks for the urging tests, made straight through the ORM (the follow-up area's services
live on another branch): a committee's task led by the Department of Science."""

from __future__ import annotations

import datetime
from typing import Any

from caicach.core.models import Unit, User
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskSource, TaskStatus
from tests.conftest import Org, People


def make_task(
    org: Org,
    people: People,
    *,
    deadline: datetime.date,
    lead_unit: Unit | None = None,
    committee: Unit | None = None,
    content: str = "Xây dựng Đề án chuyển đổi số trong giải quyết thủ tục hành chính",
    assigned_by: User | None = None,
    **extra: Any,
) -> Task:
    values: dict[str, Any] = {
        "committee": committee or org.province,
        "source": TaskSource.DOCUMENT,
        "source_reference": "12/TB-UBND",
        "source_date": datetime.date(2026, 1, 5),
        "source_title": "Thông báo kết luận",
        "content": content,
        "assigned_by": assigned_by or people.leader,
        "lead_unit": lead_unit or org.science,
        "original_deadline": deadline,
        "deadline": deadline,
        "status": TaskStatus.ASSIGNED,
    }
    values.update(extra)
    return Task.objects.create(**values)


def extend(task: Task, new_deadline: datetime.date) -> Task:
    Extension.objects.create(
        task=task,
        reason="Chờ ý kiến của Bộ",
        previous_deadline=task.deadline,
        proposed_deadline=new_deadline,
        status=ExtensionStatus.APPROVED,
        new_deadline=new_deadline,
    )
    task.deadline = new_deadline
    task.save(update_fields=["deadline"])
    return task
