"""Reads for the campaign pages: who may see which campaign, how far each eligible unit
has got, who to tell."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import UnitTree
from caicach.initiatives.dossiers.rules import RECEIVED_STATUSES
from caicach.initiatives.models import Campaign, CampaignStatus, InitiativeStatus


def campaigns_with_units() -> QuerySet[Campaign]:
    """Campaigns with what their pages and the plan document read: the issuing unit and its
    parent (the header), the receiving unit, the number and the author."""
    return Campaign.objects.select_related(
        "issuing_unit__parent", "receiving_unit", "registered_document", "created_by"
    )


def unit_heads_and_staff(units: Iterable[int] | QuerySet[Unit, Any]) -> QuerySet[User]:
    """Active heads and staff (active memberships) of ``units``: who a campaign speaks to."""
    return User.objects.filter(
        is_active=True,
        memberships__unit__in=units,
        memberships__role__in=(Role.UNIT_HEAD, Role.UNIT_STAFF),
        memberships__is_active=True,
    ).distinct()


@dataclass(frozen=True)
class UnitProgress:
    """One eligible unit on the campaign page: dossiers that reached the campaign (past the
    unit head) and those still waiting for the head's confirmation."""

    unit: Unit
    received: int
    awaiting: int
    minimum: int

    @property
    def has_none(self) -> bool:
        return self.received == 0

    @property
    def reached_minimum(self) -> bool:
        return self.received >= self.minimum


@dataclass(frozen=True)
class CampaignProgress:
    rows: list[UnitProgress]

    @property
    def unit_count(self) -> int:
        return len(self.rows)

    @property
    def without_dossier(self) -> int:
        return sum(1 for row in self.rows if row.has_none)

    @property
    def below_minimum(self) -> int:
        return sum(1 for row in self.rows if not row.reached_minimum)

    @property
    def received(self) -> int:
        return sum(row.received for row in self.rows)

    @property
    def awaiting(self) -> int:
        return sum(row.awaiting for row in self.rows)


def eligible_units_with_counts(campaign: Campaign) -> QuerySet[Unit]:
    """The campaign's eligible units, each annotated with ``received`` and ``awaiting``
    (see ``UnitProgress``), in one aggregate query."""
    in_campaign = Q(initiatives__campaign_id=campaign.pk)
    return (
        Unit.objects.filter(campaigns_open=campaign)
        .annotate(
            received=Count("initiatives", filter=in_campaign & Q(initiatives__status__in=RECEIVED_STATUSES)),
            awaiting=Count(
                "initiatives",
                filter=in_campaign & Q(initiatives__status=InitiativeStatus.AWAITING_CONFIRMATION),
            ),
        )
        .order_by("code")
    )


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Every eligible unit with its counts, those with none first: one query."""
    minimum = campaign.min_initiatives_per_unit
    rows = [
        UnitProgress(unit=unit, received=unit.received, awaiting=unit.awaiting, minimum=minimum)  # type: ignore[attr-defined]
        for unit in eligible_units_with_counts(campaign)
    ]
    rows.sort(key=lambda row: (row.reached_minimum, row.received > 0, row.unit.code))
    return CampaignProgress(rows=rows)


def lagging_unit_ids(campaign: Campaign) -> list[int]:
    """Eligible units that have not yet sent the minimum number of dossiers."""
    return [
        unit.pk
        for unit in eligible_units_with_counts(campaign)
        if unit.received < campaign.min_initiatives_per_unit  # type: ignore[attr-defined]
    ]


def window_state(campaign: Campaign, today: datetime.date) -> tuple[str, str]:
    """(css modifier, sentence) saying whether dossiers are being received today."""
    if campaign.status == CampaignStatus.DRAFT:
        return "warn", _("Kế hoạch chưa ban hành")
    if campaign.status == CampaignStatus.CLOSED:
        return "", _("Đợt phát động đã kết thúc, không nhận thêm hồ sơ")
    if campaign.accepts_submissions(today):
        return "ok", _("Đang nhận hồ sơ (đến hết ngày %(end)s)") % {"end": f"{campaign.window_end:%d/%m/%Y}"}
    if today < campaign.window_start:
        return "warn", _("Chưa đến thời gian nhận hồ sơ (bắt đầu từ ngày %(start)s)") % {
            "start": f"{campaign.window_start:%d/%m/%Y}"
        }
    return "danger", _("Hết hạn nhận hồ sơ ngày %(end)s") % {"end": f"{campaign.window_end:%d/%m/%Y}"}


def units_of_kinds_in_jurisdiction(
    *, issuing_unit_id: int, kinds: Iterable[str], scope: set[int] | None
) -> list[Unit]:
    """Active units of ``kinds`` within the jurisdiction of the issuing unit (the committee
    it belongs to and everything under it: "all communes of the district") and within
    ``scope`` (the reform officer's; None for an administrator), by code."""
    tree = UnitTree.load()
    committee = tree.jurisdiction(issuing_unit_id)
    if committee is None:
        return []
    wanted = tree.subtree([committee])
    if scope is not None:
        wanted &= scope
    kinds = list(kinds)
    ids = [pk for pk in wanted if tree.kinds.get(pk) in kinds]
    return list(Unit.objects.active().filter(pk__in=ids).order_by("code"))
