"""Meetings for the notices tests, made through the ORM (the meetings area builds its own
services): the province committee's regular meeting of Tuesday 15 October 2024 at 08:00,
two agenda items (one withdrawn), two invited departments, the Chairman chairing, and an
Office with its Chief who may sign "TL. CHỦ TỊCH"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    AttendeeLevel,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    WithdrawalDecision,
)
from caicach.deliberation.notices.services import (
    PointDraft,
    conclusion_save,
    invitation_issue,
    invitation_save,
)
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.deliberation.factories import Committee, make_committee

MEETING_DAY = datetime.date(2024, 10, 15)  # a Tuesday
DRAFTED_ON = datetime.date(2024, 10, 8)
AFTER = datetime.date(2024, 10, 16)


@dataclass
class Scene:
    committee: Committee
    chief: User  # Chánh Văn phòng (Office officer)
    meeting: Meeting
    items: list[AgendaItem]


def make_meeting(
    org: Org,
    *,
    chair: User | None,
    day: datetime.date = MEETING_DAY,
    status: str = MeetingStatus.SCHEDULED,
    items: int = 2,
    title: str = "Phiên họp UBND tỉnh thường kỳ tháng 10 năm 2024",
) -> Meeting:
    meeting = Meeting.objects.create(
        committee=org.province,
        kind=MeetingKind.REGULAR,
        title=title,
        date=day,
        starts_at=datetime.time(8, 0),
        place="Phòng họp số 1, trụ sở UBND tỉnh",
        chair=chair,
        status=status,
    )
    for position in range(1, items + 1):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=f"Dự thảo Nghị quyết số {position} về phát triển kinh tế - xã hội",
            lead_unit=org.science if position % 2 else org.home_affairs,
            consult_by=day - datetime.timedelta(days=5),
            dossier_due=day - datetime.timedelta(days=3),
            dossier_working_days=3,
        )
    Invitee.objects.create(meeting=meeting, unit=org.science)
    Invitee.objects.create(meeting=meeting, unit=org.home_affairs, expected_level=AttendeeLevel.DEPUTY)
    return meeting


def withdraw(item: AgendaItem) -> None:
    item.status = AgendaStatus.WITHDRAWN
    item.withdrawal_decision = WithdrawalDecision.WITHDRAW
    item.save()


def scene(org: Org, people: People, **kwargs: object) -> Scene:
    committee = make_committee(org, people)
    committee.chairman.position = "Chủ tịch UBND tỉnh"
    committee.chairman.save()
    chief = person(
        "chanhvp", org.office, Role.OFFICE_OFFICER, full_name="Lê Chánh Văn", position="Chánh Văn phòng"
    )
    meeting = make_meeting(org, chair=committee.chairman, **kwargs)  # type: ignore[arg-type]
    return Scene(committee=committee, chief=chief, meeting=meeting, items=list(meeting.agenda_items.all()))


def drafted_invitation(s: Scene, people: People, signer: User | None = None) -> None:
    with on_day(DRAFTED_ON):
        invitation_save(
            actor=people.office_officer,
            meeting=s.meeting,
            version=0,
            summary="",
            recipients="Như trên;\nChủ tịch, các PCT UBND tỉnh;\nLưu: VT, VP.",
            signer=signer or s.committee.chairman,
        )


def invited(s: Scene, people: People) -> None:
    drafted_invitation(s, people)
    with on_day(DRAFTED_ON):
        document = s.meeting.documents.get(kind="invitation")
        invitation_issue(actor=s.committee.chairman, meeting=s.meeting, version=document.version)
    s.meeting.refresh_from_db()


def points(org: Org, s: Scene, count: int = 3) -> list[PointDraft]:
    units: list[Unit] = [org.science, org.home_affairs]
    return [
        PointDraft(
            content=f"Giao hoàn thiện nội dung thứ {n}, trình UBND tỉnh xem xét",
            lead_unit=units[n % 2],
            coordinating_units=(units[(n + 1) % 2],),
            deadline=datetime.date(2024, 11, 15) + datetime.timedelta(days=n),
            agenda_item=s.items[0],
        )
        for n in range(1, count + 1)
    ]


def concluded_draft(org: Org, people: People, s: Scene, count: int = 3) -> None:
    invited(s, people)
    with on_day(AFTER):
        conclusion_save(
            actor=people.office_officer,
            meeting=s.meeting,
            version=0,
            points=points(org, s, count),
            summary="Thống nhất thông qua các dự thảo, giao các cơ quan hoàn thiện.",
            signer=s.chief,
        )


def is_office(unit: Unit) -> bool:
    return unit.kind == UnitKind.OFFICE
