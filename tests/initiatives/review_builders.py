"""Builders for the council tests: a published campaign with a rubric, accepted dossiers,
a council with its chair, secretary and members, and sheets scored at random (fixed seed).

Dossiers are written straight to the database in the state the council receives them
(accepted): how they got there is the dossier and workflow tests' business."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from caicach.core.models import Role, Unit, User
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    CouncilRole,
    Initiative,
    InitiativeStatus,
    ReviewAssignment,
    ReviewScore,
    Rubric,
)
from caicach.initiatives.rubrics import ensure_demo_rubrics
from caicach.initiatives.services.review import council_member_add, council_save
from tests.conftest import Org, People
from tests.factories import person

ISSUED = datetime.date(2024, 5, 10)


@dataclass
class Board:
    """A campaign of the province received by Home Affairs, its council and the people."""

    campaign: Campaign
    council: Council
    rubric: Rubric
    chair: User
    secretary: User
    member: User  # an ordinary member from the committee's Office
    colleague: User  # a member working in Science & Technology, the dossiers' unit
    chair_seat: CouncilMember
    secretary_seat: CouncilMember
    member_seat: CouncilMember
    colleague_seat: CouncilMember


def make_campaign(org: Org, people: People, rubric: Rubric | None = None) -> Campaign:
    campaign = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=ISSUED,
    )  # fmt: skip
    if rubric is not None:
        Campaign.objects.filter(pk=campaign.pk).update(rubric=rubric)
        campaign.rubric = rubric
    return campaign


def make_dossier(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str = "Nâng cao hiệu quả tiếp nhận hồ sơ",
    author: User | None = None,
    created_by: User | None = None,
    status: str = InitiativeStatus.ACCEPTED,
) -> Initiative:
    initiative = Initiative.objects.create(
        campaign=campaign, unit=unit, title=title, status=status, created_by=created_by
    )
    Authorship.objects.create(
        initiative=initiative,
        position=1,
        user=author,
        full_name=author.full_name if author else "Trần Văn Tác Giả",
        share=Decimal(100),
        is_lead=True,
    )
    return initiative


def make_board(org: Org, people: People, *, rubric: Rubric | None = None) -> Board:
    if rubric is None:
        rubric = ensure_demo_rubrics(people.admin)[0]
    campaign = make_campaign(org, people, rubric)
    council = council_save(
        campaign=campaign,
        actor=people.reform_officer,
        data={"name": "Hội đồng sáng kiến tỉnh Tây Ninh", "established_by": "Quyết định số 12/QĐ-UBND",
              "scoring_deadline": datetime.date(2024, 8, 30), "reminder_working_days": 2},
    )  # fmt: skip
    chair = person("chutich.hd", org.home_affairs, Role.COUNCIL_MEMBER, full_name="Lâm Chủ Tịch")
    secretary = people.council_member
    member = person("thanhvien.hd", org.office, Role.COUNCIL_MEMBER, full_name="Đỗ Thành Viên")
    colleague = person("khcn.hd", org.science, Role.COUNCIL_MEMBER, full_name="Mai Đồng Nghiệp")
    seats = [
        council_member_add(council=council, actor=people.reform_officer, user=user, role=role)
        for user, role in (
            (chair, CouncilRole.CHAIR),
            (secretary, CouncilRole.SECRETARY),
            (member, CouncilRole.MEMBER),
            (colleague, CouncilRole.MEMBER),
        )
    ]
    return Board(campaign, council, rubric, chair, secretary, member, colleague, *seats)


def random_points(rubric: Rubric, rng: random.Random) -> dict[int, Decimal]:
    """Points per criterion in 0..max with at most two decimals."""
    return {
        c.pk: Decimal(rng.randint(0, int(c.max_points * 100))) / 100
        for c in rubric.criteria.order_by("position")
    }


def fill_sheets(council: Council, rubric: Rubric, rng: random.Random, *, submitted: bool = True) -> None:
    """Score every non-excluded assignment of the council directly in the database (fast
    enough for hundreds of sheets; the scoring service has its own tests)."""
    from django.utils import timezone

    scores = []
    assignments = list(ReviewAssignment.objects.filter(member__council=council, excluded=False))
    for assignment in assignments:
        points = random_points(rubric, rng)
        scores += [ReviewScore(assignment=assignment, criterion_id=c, points=p) for c, p in points.items()]
        assignment.total = sum(points.values(), Decimal(0))
        assignment.submitted_at = timezone.now() if submitted else None
    ReviewScore.objects.bulk_create(scores)
    ReviewAssignment.objects.bulk_update(assignments, ["total", "submitted_at"])
