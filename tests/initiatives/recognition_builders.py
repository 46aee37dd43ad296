"""Builders for the recognition tests: an issued campaign, dossiers written straight to the
database in the state the council leaves them, and the council's outcome (``Recognition``),
so these tests do not depend on how dossiers and votes are entered."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from caicach.core.models import Unit, User
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    Initiative,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
)
from tests.conftest import Org, People

PLAN_DAY = datetime.date(2024, 5, 10)
DECISION_DAY = datetime.date(2024, 9, 16)
SEED_TITLE = "Chỉ thị về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
SEED_AUTHORS: tuple[tuple[str, str, datetime.date], ...] = (
    ("Lê Tuấn Phú", "30", datetime.date(1967, 1, 28)),
    ("Nguyễn Phương Thảo", "30", datetime.date(1982, 7, 3)),
    ("Đông Thị Huệ", "40", datetime.date(1989, 6, 30)),
)


def issued_campaign(org: Org, people: People) -> Campaign:
    """Seed 002's campaign of the Châu Thành district, issued (01/KH-UBND)."""
    return load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.district,
        receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune, org.science],
        signer_name="Nguyễn Văn Thành",
        issued_on=PLAN_DAY,
    )


def council_for(campaign: Campaign, *, minutes_day: datetime.date | None = None) -> Council:
    return Council.objects.create(
        campaign=campaign, name="Hội đồng sáng kiến huyện Châu Thành", meeting_on=minutes_day
    )


def dossier(
    campaign: Campaign,
    unit: Unit,
    *,
    title: str = SEED_TITLE,
    authors: Sequence[tuple[str, str, datetime.date | None]] = SEED_AUTHORS,
    author_user: User | None = None,
    created_by: User | None = None,
    status: str = InitiativeStatus.IN_REVIEW,
    essence: str = "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc.",
) -> Initiative:
    """A dossier past the council's scoring; ``author_user`` holds the account of the last
    (lead) author."""
    initiative = Initiative.objects.create(
        campaign=campaign,
        unit=unit,
        title=title,
        status=status,
        essence=essence,
        first_applied_on=datetime.date(2024, 2, 29),
        created_by=created_by,
    )
    Authorship.objects.bulk_create(
        Authorship(
            initiative=initiative,
            position=position,
            full_name=name,
            date_of_birth=born,
            workplace="Văn phòng UBND tỉnh",
            job_title="Chuyên viên",
            qualification="Thạc sỹ",
            share=Decimal(share),
            contribution="Đóng góp vào nội dung của Sáng kiến",
            is_lead=position == len(authors),
            user=author_user if position == len(authors) else None,
        )
        for position, (name, share, born) in enumerate(authors, start=1)
    )
    return initiative


def outcome(
    initiative: Initiative,
    *,
    recognised: bool,
    level: str = RecognitionLevel.GRASSROOTS,
    reasons: str = "",
    members_present: int = 5,
    votes_for: int | None = None,
    mean_score: str = "71.50",
    decided_by: User | None = None,
) -> Recognition:
    """The council's vote as ``services.review.recognition_record`` leaves it."""
    if votes_for is None:
        votes_for = members_present if recognised else 1
    recognition = Recognition.objects.create(
        initiative=initiative,
        members_present=members_present,
        votes_for=votes_for,
        votes_against=members_present - votes_for,
        mean_score=Decimal(mean_score),
        recognised=recognised,
        level=level if recognised else "",
        reasons="" if recognised else reasons,
        decided_by=decided_by,
    )
    Initiative.objects.filter(pk=initiative.pk).update(
        status=InitiativeStatus.RECOGNISED if recognised else InitiativeStatus.NOT_RECOGNISED
    )
    initiative.refresh_from_db()
    return recognition
