"""Test data for the work program: programs, items and requests built through the services
(a scene of a province with its units and people), and bare rows for the reports and KPIs."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from caicach.core.models import Unit, User
from caicach.core.text import fold
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    WorkProgram,
)
from caicach.workprogram.programs.queries import unit_signers
from caicach.workprogram.programs.services import (
    adjustment_request_approve_submission,
    adjustment_request_file,
    item_create,
    program_create,
)
from tests.conftest import Org, People

# --- Programs, items and requests -----------------------------------------------------------------
# Builders for the work program tests (programs, items, adjustment requests), written
# through the services so every row looks like one the application made.


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
    item: ProgramItem,
    actor: User,
    kind: str = AdjustmentKind.POSTPONE,
    *,
    head_signs: bool = True,
    **overrides: Any,
) -> AdjustmentRequest:
    """A request filed by ``actor``; a member of staff's draft is approved (signed) by the
    lead unit's head at once unless ``head_signs`` is False."""
    values: dict[str, Any] = {
        "reason": reason(),
        "explanation": "Chờ hướng dẫn của Bộ Khoa học và Công nghệ về tiêu chí đánh giá.",
        "necessity": "Bảo đảm nội dung trình phù hợp với quy định mới của Trung ương.",
        "impact": "Không ảnh hưởng đến các nhiệm vụ trọng tâm trong chỉ đạo, điều hành của UBND tỉnh.",
        "proposed_month": month(item.due_month.month + 2) if kind == AdjustmentKind.POSTPONE else None,
        "filed_on": datetime.date(YEAR, 4, 10),
    }
    values.update(overrides)
    request = adjustment_request_file(actor=actor, program=item.program, item=item, kind=kind, **values)
    if head_signs and request.status == RequestStatus.AWAITING_HEAD:
        # The unit's head signs; an administrator filing for a unit without one signs it too.
        head = unit_signers([request.lead_unit_id]).order_by("pk").first() or actor
        request = adjustment_request_approve_submission(
            actor=head, request=request, version=request.version, filed_on=values["filed_on"]
        )
    return request


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


# --- Bare rows for the reports and KPIs -----------------------------------------------------------
# Builders for the monthly-report and KPI tests: a program, its items, a random-ish but
# reproducible dataset.


_positions = itertools.count(1)


def make_bare_program(issuing_unit: Unit, year: int = 2024, **fields: object) -> WorkProgram:
    values: dict[str, object] = {
        "title": f"Chương trình công tác năm {year} của UBND tỉnh",
        "decision_number": "123/QĐ-UBND",
        "decision_date": datetime.date(year - 1, 12, 28),
    }
    values.update(fields)
    return WorkProgram.objects.create(issuing_unit=issuing_unit, year=year, **values)


def make_item(
    program: WorkProgram,
    lead_unit: Unit,
    due_month: datetime.date,
    *,
    status: str = ItemStatus.PLANNED,
    title: str = "",
    submitted_on: datetime.date | None = None,
    issued_on: datetime.date | None = None,
    leader: User | None = None,
    original_due_month: datetime.date | None = None,
) -> ProgramItem:
    number = next(_positions)
    return ProgramItem.objects.create(
        program=program,
        position=number,
        title=title or f"Đề án thử nghiệm số {number}",
        lead_unit=lead_unit,
        due_month=due_month,
        original_due_month=original_due_month or due_month,
        status=status,
        submitted_on=submitted_on,
        issued_on=issued_on,
        supervising_leader=leader,
    )


def random_items(
    program: WorkProgram,
    units: Sequence[Unit],
    leaders: Sequence[User | None],
    *,
    count: int,
    seed: int = 20240715,
) -> list[ProgramItem]:
    """``count`` items of ``program`` with every combination the figures distinguish: all
    statuses, submissions before, within and after the due month or without a date,
    postponed items moved into the next year, withdrawn ones. Written with one INSERT."""
    rng = random.Random(seed)
    year = program.year
    statuses = [
        (ItemStatus.PLANNED, 40),
        (ItemStatus.SUBMITTED, 25),
        (ItemStatus.ISSUED, 20),
        (ItemStatus.POSTPONED, 7),
        (ItemStatus.WITHDRAWN, 8),
    ]
    population = [status for status, weight in statuses for _ in range(weight)]
    items: list[ProgramItem] = []
    for _ in range(count):
        number = next(_positions)
        month = datetime.date(year, rng.randint(1, 12), 1)
        original = month
        status = rng.choice(population)
        if status == ItemStatus.POSTPONED:
            month = datetime.date(year + 1, rng.randint(1, 6), 1)
        elif rng.random() < 0.15:
            # Moved within the year by an approved request: counted in its current month.
            original = datetime.date(year, rng.randint(1, 12), 1)
        submitted_on = issued_on = None
        if status in (ItemStatus.SUBMITTED, ItemStatus.ISSUED):
            shift = rng.choice([-20, -3, 0, 5, 12, 27, 29, 31, 45, 80, None])
            if shift is not None:
                submitted_on = month + datetime.timedelta(days=shift)
            if status == ItemStatus.ISSUED:
                issued_on = (submitted_on or month) + datetime.timedelta(days=rng.randint(3, 40))
        title = f"Đề án {number}: quy định quản lý lĩnh vực {rng.choice(['đất đai', 'y tế', 'giáo dục'])}"
        items.append(
            ProgramItem(
                program=program,
                position=number,
                title=title,
                search_text=fold(title),
                lead_unit=rng.choice(units),
                due_month=month,
                original_due_month=original,
                status=status,
                submitted_on=submitted_on,
                issued_on=issued_on,
                supervising_leader=rng.choice(leaders),
            )
        )
    return ProgramItem.objects.bulk_create(items)
