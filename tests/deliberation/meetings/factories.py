"""Meetings for tests: the province's committee meets on Wednesday 21 October 2026 (its
dossiers are due three working days before: Friday 16 October); the program of 2026 has
items due in October, led by the Department of Science."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from caicach.core.models import User
from caicach.deliberation.meetings.services import agenda_add_program_items, invitees_set, meeting_create
from caicach.deliberation.models import AgendaItem, Meeting
from caicach.workprogram.models import ProgramItem, WorkProgram
from tests.conftest import Org, People, on_day
from tests.deliberation.factories import Committee, make_committee
from tests.workprogram.factories import make_bare_program, make_item

TODAY = datetime.date(2026, 10, 1)  # a Thursday
MEETING_DAY = datetime.date(2026, 10, 21)  # a Wednesday
DOSSIER_DUE = datetime.date(2026, 10, 16)  # three working days before
OCTOBER = datetime.date(2026, 10, 1)


def program_of(org: Org) -> WorkProgram:
    found = WorkProgram.objects.filter(issuing_unit=org.province, year=2026).first()
    return found or make_bare_program(org.province, year=2026)


def program_item(org: Org, due: datetime.date = OCTOBER, **fields: Any) -> ProgramItem:
    item = make_item(program_of(org), fields.pop("lead_unit", org.science), due, **fields)
    return item


def schedule(
    people: People,
    org: Org,
    *,
    day: datetime.date = MEETING_DAY,
    kind: str = "regular",
    chair: User | None = None,
    today: datetime.date = TODAY,
) -> Meeting:
    with on_day(today):
        return meeting_create(
            actor=people.office_officer,
            committee=org.province,
            data={"kind": kind, "date": day, "title": "", "place": "Phòng họp số 1", "chair": chair},
        )


def with_agenda(people: People, meeting: Meeting, items: list[ProgramItem]) -> list[AgendaItem]:
    with on_day(TODAY):
        return agenda_add_program_items(actor=people.office_officer, meeting=meeting, program_items=items)


@dataclass
class Scene:
    committee: Committee
    meeting: Meeting  # science leads an item; home affairs invited
    other: Meeting  # nothing for science nor home affairs
    item: AgendaItem


def make_scene(org: Org, people: People) -> Scene:
    committee = make_committee(org, people)
    meeting = schedule(people, org, chair=committee.chairman)
    (item,) = with_agenda(people, meeting, [program_item(org)])
    with on_day(TODAY):
        invitees_set(actor=people.office_officer, meeting=meeting, units=[org.home_affairs])
    other = schedule(people, org, day=datetime.date(2026, 10, 28), kind="thematic")
    return Scene(committee=committee, meeting=meeting, other=other, item=item)
