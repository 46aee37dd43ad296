"""Builders for the work program tests (programs, items, adjustment requests), written
through the services so every row looks like one the application made."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from caicach.core.models import Unit, User
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ProgramItem,
    WorkProgram,
)
from caicach.workprogram.services import adjustment_request_file, item_create, program_create
from tests.conftest import Org, People

YEAR = 2024
_numbers = itertools.count(1)


def month(number: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, number, 1)


def make_program(
    org: Org, people: People, *, year: int = YEAR, issuing_unit: Unit | None = None
) -> WorkProgram:
    return program_create(
        actor=people.admin,
        data={
            "issuing_unit": issuing_unit or org.province,
            "year": year,
            "title": f"Chương trình công tác năm {year} của UBND tỉnh",
            "decision_number": "3125/QĐ-UBND",
            "decision_date": datetime.date(year - 1, 12, 28),
        },
    )


def add_item(
    program: WorkProgram,
    actor: User,
    lead_unit: Unit,
    due: datetime.date,
    *,
    leader: User | None = None,
    coordinating: Sequence[Unit] = (),
    title: str = "",
    **extra: Any,
) -> ProgramItem:
    return item_create(
        actor=actor,
        program=program,
        data={
            "title": title or f"Đề án thử nghiệm số {next(_numbers)}",
            "submission_kind": "committee",
            "lead_unit": lead_unit,
            "supervising_leader": leader,
            "due_month": due,
            "coordinating_units": list(coordinating),
            **extra,
        },
    )


def reason(code: str = "objective_cause") -> AdjustmentReason:
    return AdjustmentReason.objects.get(code=code)


def file_request(
    item: ProgramItem, actor: User, kind: str = AdjustmentKind.POSTPONE, **overrides: Any
) -> AdjustmentRequest:
    values: dict[str, Any] = {
        "reason": reason(),
        "explanation": "Chờ hướng dẫn của Bộ Khoa học và Công nghệ về tiêu chí đánh giá.",
        "necessity": "Bảo đảm nội dung trình phù hợp với quy định mới của Trung ương.",
        "impact": "Không ảnh hưởng đến các nhiệm vụ trọng tâm trong chỉ đạo, điều hành của UBND tỉnh.",
        "proposed_month": month(item.due_month.month + 2) if kind == AdjustmentKind.POSTPONE else None,
        "filed_on": datetime.date(YEAR, 4, 10),
    }
    values.update(overrides)
    return adjustment_request_file(actor=actor, program=item.program, item=item, kind=kind, **values)


@dataclass
class Scene:
    """A 2024 program of the province: Science & Technology leads two items (one
    coordinated by Home Affairs), Home Affairs one, the district one; the leader supervises
    all but the district's."""

    program: WorkProgram
    science_item: ProgramItem
    science_other: ProgramItem
    home_affairs_item: ProgramItem
    district_item: ProgramItem


def make_scene(org: Org, people: People) -> Scene:
    program = make_program(org, people)
    office = people.office_officer
    return Scene(
        program=program,
        science_item=add_item(
            program,
            office,
            org.science,
            month(3),
            leader=people.leader,
            coordinating=[org.home_affairs],
            title="Đề án phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Tây Ninh",
        ),
        science_other=add_item(program, office, org.science, month(6), leader=people.leader),
        home_affairs_item=add_item(program, office, org.home_affairs, month(5), leader=people.leader),
        district_item=add_item(program, office, org.district, month(9)),
    )
