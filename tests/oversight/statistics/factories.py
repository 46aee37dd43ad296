"""Tasks for the statistics tests, straight through the ORM (the follow-up services live on
another branch): ``make_task`` with sensible defaults, and ``mixed_dataset`` — on time, late,
overdue, extended, cancelled, across units, leaders, sources and period boundaries."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from caicach.core.models import Role, Unit, User
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskSource, TaskStatus
from tests.conftest import Org, People
from tests.core.factories import person

D = datetime.date
TODAY = D(2024, 10, 15)  # the day the figures are taken in the tests
_counter = itertools.count(1)


def make_task(
    *,
    committee: Unit,
    lead_unit: Unit,
    assigned_by: User,
    original_deadline: datetime.date,
    deadline: datetime.date | None = None,
    status: str = TaskStatus.ASSIGNED,
    done_on: datetime.date | None = None,
    source: str = TaskSource.DOCUMENT,
    extended: bool = False,
    **fields: Any,
) -> Task:
    """A task; ``extended`` adds an approved extension moving the deadline to ``deadline``
    (30 days on when not given)."""
    number = next(_counter)
    if extended and deadline is None:
        deadline = original_deadline + datetime.timedelta(days=30)
    task = Task.objects.create(
        committee=committee,
        source=source,
        source_reference=f"{number}/UBND-VP" if source == TaskSource.DOCUMENT else "",
        source_date=original_deadline - datetime.timedelta(days=40),
        content=fields.pop("content", f"Nhiệm vụ thử nghiệm số {number}"),
        assigned_by=assigned_by,
        lead_unit=lead_unit,
        original_deadline=original_deadline,
        deadline=deadline or original_deadline,
        status=status,
        done_on=done_on,
        cancel_reason="Không còn phù hợp" if status == TaskStatus.CANCELLED else "",
        **fields,
    )
    if extended:
        Extension.objects.create(
            task=task,
            reason="Cần thêm thời gian lấy ý kiến",
            previous_deadline=original_deadline,
            proposed_deadline=task.deadline,
            status=ExtensionStatus.APPROVED,
            new_deadline=task.deadline,
            decided_by=assigned_by,
        )
    return task


@dataclass
class Dataset:
    tasks: list[Task]
    chairman: User
    leader: User


def mixed_dataset(org: Org, people: People, *, scale: int = 1) -> Dataset:
    """Around 30 × ``scale`` tasks of the province, and two of the district (which must never
    count in the province's figures)."""
    chairman = person("chutich", org.province, Role.CHAIRMAN, full_name="Lâm Chủ Tịch")
    leader = people.leader
    units = [org.science, org.home_affairs, org.district, org.commune]
    leaders = [chairman, leader]
    sources = [TaskSource.DOCUMENT, TaskSource.ORAL, TaskSource.CONCLUSION]
    done, open_, cancelled = TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED
    # (original deadline, status, done_on, extended, deadline): boundaries of months, quarters
    # and the year, and the day the figures are taken.
    shapes: list[tuple[D, str, D | None, bool, D | None]] = [
        (D(2024, 1, 1), done, D(2024, 1, 1), False, None),  # on time, first day of the year
        (D(2024, 1, 31), done, D(2024, 2, 1), False, None),  # late by a day, month boundary
        (D(2024, 3, 31), done, D(2024, 4, 20), True, D(2024, 4, 30)),  # late within extension
        (D(2024, 4, 1), open_, None, False, None),  # overdue
        (D(2024, 6, 30), open_, None, True, D(2024, 12, 31)),  # overdue by the original deadline
        (D(2024, 7, 1), cancelled, None, False, None),  # cancelled
        (D(2024, 9, 30), done, D(2024, 9, 2), False, None),  # on time, early
        (D(2024, 10, 15), open_, None, False, None),  # due today: not yet due
        (D(2024, 10, 14), TaskStatus.ASSIGNED, None, False, None),  # overdue since today
        (D(2024, 11, 30), open_, None, True, D(2025, 1, 15)),  # not yet due, extended
        (D(2024, 12, 31), done, D(2024, 10, 1), False, None),  # on time, last day of the year
        (D(2023, 12, 31), open_, None, False, None),  # carried over: outside 2024
        (D(2025, 1, 1), TaskStatus.ASSIGNED, None, False, None),  # next year
        (D(2024, 5, 15), done, D(2024, 5, 15), True, D(2024, 6, 15)),  # on time though extended
        (D(2024, 8, 20), cancelled, None, True, D(2024, 9, 20)),  # cancelled after an extension
    ]
    tasks: list[Task] = []
    combos = itertools.cycle(itertools.product(units, leaders, sources))
    for _round in range(2 * scale):
        for original, status, done_on, extended, deadline in shapes:
            unit, assigner, source = next(combos)
            tasks.append(
                make_task(
                    committee=org.province,
                    lead_unit=unit,
                    assigned_by=assigner,
                    original_deadline=original,
                    deadline=deadline,
                    status=status,
                    done_on=done_on,
                    source=source,
                    extended=extended,
                )
            )
    district_leader = person("lanhdao.huyen", org.district, Role.LEADER, full_name="Phan Phó Chủ Tịch")
    for original in (D(2024, 3, 1), D(2024, 5, 1)):
        tasks.append(
            make_task(
                committee=org.district,
                lead_unit=org.district_home_affairs,
                assigned_by=district_leader,
                original_deadline=original,
            )
        )
    return Dataset(tasks=tasks, chairman=chairman, leader=leader)
