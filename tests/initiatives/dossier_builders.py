"""Builders for dossier tests (and for other areas' tests that need a dossier): an open
campaign, the seed 001 authors table, a draft made through the service."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from caicach.core.models import Unit, User
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind
from caicach.initiatives.services.dossiers import initiative_create

SEED_TITLE = (
    "Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
)


def seed_authors(lead_user: User | None = None) -> list[dict[str, Any]]:
    """The authors table of seeds 000/001 (30/30/40, the lead is the idea's originator)."""
    return [
        {
            "full_name": "Lê Tuấn Phú",
            "date_of_birth": datetime.date(1967, 1, 28),
            "workplace": "Văn phòng UBND tỉnh",
            "job_title": "Chánh Văn phòng",
            "qualification": "Thạc sỹ",
            "share": Decimal("30"),
            "contribution": "Đóng góp vào nội dung của Sáng kiến",
            "is_lead": False,
            "user": None,
        },
        {
            "full_name": "Nguyễn Phương Thảo",
            "date_of_birth": datetime.date(1982, 7, 3),
            "workplace": "Phòng Tổng hợp",
            "job_title": "Trưởng phòng Tổng hợp",
            "qualification": "Thạc sỹ",
            "share": Decimal("30"),
            "contribution": "Đóng góp vào nội dung của Sáng kiến",
            "is_lead": False,
            "user": None,
        },
        {
            "full_name": "Đông Thị Huệ",
            "date_of_birth": datetime.date(1989, 6, 30),
            "workplace": "Phòng Tổng hợp",
            "job_title": "Chuyên viên",
            "qualification": "Thạc sỹ",
            "share": Decimal("40"),
            "contribution": "Chủ trì nghĩ ra ý tưởng; hoàn thiện và đóng góp vào nội dung của Sáng kiến",
            "is_lead": True,
            "user": lead_user,
        },
    ]


def open_campaign(
    *, actor: User, issuing_unit: Unit, receiving_unit: Unit, eligible_units: Iterable[Unit]
) -> Campaign:
    """The seed campaign, issued, with its submission window moved around today."""
    campaign = load_seed_campaign(
        actor=actor,
        issuing_unit=issuing_unit,
        receiving_unit=receiving_unit,
        eligible_units=eligible_units,
        issued_on=datetime.date(2024, 5, 10),
    )
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=today - datetime.timedelta(days=10), window_end=today + datetime.timedelta(days=30)
    )
    campaign.refresh_from_db()
    return campaign


def make_draft(
    *,
    actor: User,
    unit: Unit,
    campaign: Campaign | None = None,
    kind: str = InitiativeKind.SOLUTION,
    data: Mapping[str, Any] | None = None,
    authors: Sequence[Mapping[str, Any]] | None = None,
) -> Initiative:
    fields: dict[str, Any] = {
        "title": SEED_TITLE,
        "first_applied_on": datetime.date(2024, 2, 29),
        "essence": "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc.",
    }
    if kind == InitiativeKind.SOLUTION:
        fields["previous_solution"] = "Trách nhiệm của một số cơ quan trong phối hợp chưa cao."
    else:
        fields["context"] = "Trước xu thế toàn cầu hóa về kinh tế và văn hóa."
    fields.update(data or {})
    return initiative_create(
        actor=actor,
        unit=unit,
        campaign=campaign,
        kind=kind,
        data=fields,
        authors=authors if authors is not None else seed_authors(actor),
    )
