"""Builders for the monthly-report and KPI tests: a program, its items, a random-ish but
reproducible dataset."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Sequence

from caicach.core.models import Unit, User
from caicach.core.text import fold
from caicach.workprogram.models import ItemStatus, ProgramItem, WorkProgram

_positions = itertools.count(1)


def make_program(issuing_unit: Unit, year: int = 2024, **fields: object) -> WorkProgram:
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
