"""Reads for the campaign pages: who may see which campaign, how far each eligible unit
has got, who to tell."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from caicach.core.choices import kept, kept_while_read
from caicach.core.models import Role, Unit, User
from caicach.core.pagination import page_again
from caicach.core.permissions import UnitIds, jurisdiction_subtree
from caicach.initiatives.dossiers.rules import RECEIVED_STATUSES
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative, InitiativeStatus


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


class EligibleUnit(NamedTuple):
    """An eligible unit as the campaign page's table names it."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class UnitProgress:
    """One eligible unit on the campaign page: dossiers that reached the campaign (past the
    unit head) and those still waiting for the head's confirmation."""

    unit: EligibleUnit
    received: int
    awaiting: int
    minimum: int

    @property
    def has_none(self) -> bool:
        return self.received == 0

    @property
    def reached_minimum(self) -> bool:
        return self.received >= self.minimum


UNITS_PAGE_SIZE = 50


@dataclass(frozen=True)
class CampaignProgress:
    """The campaign page's table: totals over every eligible unit, and one page of units,
    those with nothing sent first. A national campaign has thousands of units: the page
    shows 50 and the totals are counted by the database."""

    unit_count: int
    without_dossier: int
    below_minimum: int
    received: int
    awaiting: int
    page_obj: Page[UnitProgress]

    @property
    def rows(self) -> list[UnitProgress]:
        return list(self.page_obj.object_list)


def _count_in_campaign(campaign: Campaign, statuses: Iterable[str]) -> Coalesce:
    """Per eligible unit (the outer row), how many of its dossiers in ``campaign`` are in
    ``statuses``: a correlated count on the (unit, status) index."""
    counted = (
        Initiative.objects.filter(campaign_id=campaign.pk, unit_id=OuterRef("pk"), status__in=list(statuses))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def eligible_units_with_counts(campaign: Campaign) -> QuerySet[Unit]:
    """The campaign's eligible units, each annotated with ``received`` and ``awaiting``
    (see ``UnitProgress``)."""
    return (
        Unit.objects.filter(campaigns_open=campaign)
        .annotate(
            received=_count_in_campaign(campaign, RECEIVED_STATUSES),
            awaiting=_count_in_campaign(campaign, [InitiativeStatus.AWAITING_CONFIRMATION]),
        )
        .order_by("code")
    )


def _unit_counts(
    units: QuerySet[Any], counts: QuerySet[Any], minimum: int
) -> tuple[list[tuple[int, str]], dict[int, int], dict[int, int]]:
    """The eligible units (id, code) in the progress table's order, and per unit the dossiers
    received and awaiting confirmation (``campaign_progress``)."""
    eligible = list(units)
    received: dict[int, int] = {}
    awaiting: dict[int, int] = {}
    received_statuses = set(RECEIVED_STATUSES)
    for unit_id, status, n in counts:
        if status in received_statuses:
            received[unit_id] = received.get(unit_id, 0) + n
        elif status == InitiativeStatus.AWAITING_CONFIRMATION:
            awaiting[unit_id] = awaiting.get(unit_id, 0) + n
    eligible.sort(key=lambda row: (received.get(row[0], 0) >= minimum, received.get(row[0], 0) > 0, row[1]))
    return eligible, received, awaiting


def campaign_progress(campaign: Campaign, page: int | str | None = 1) -> CampaignProgress:
    """The totals and page ``page`` of the units, those with none first, then those below
    the minimum, then by code. Three reads whatever the number of units: the eligible units'
    codes, the campaign's dossiers counted per unit and status from the (campaign, unit,
    status) index alone, and the page's units' names; the ordering and the totals are done
    here over a few thousand small tuples (a national campaign), not per unit in SQL.

    The totals and the page's rows are kept as plain values until a write to a table they
    read commits (``kept_while_read``): a national campaign's 4,000 units cost 10 ms a visit
    to fetch from the cache, order and add up again."""
    minimum = campaign.min_initiatives_per_unit

    def build() -> tuple[tuple[int, int, int, int, int], int, list[UnitProgress]]:
        units_qs = Unit.objects.filter(campaigns_open=campaign).values_list("pk", "code")
        counts = (
            Initiative.objects.filter(campaign_id=campaign.pk)
            .order_by()
            .values_list("unit_id", "status")
            .annotate(n=Count("pk"))
        )
        # A national campaign's counts cover 200,000 dossiers of 4,000 units (35 ms): kept
        # until a dossier or the eligible units change (caicach.core.choices.kept), for
        # every page of the table.
        eligible, received, awaiting = kept(
            [units_qs, counts],
            lambda: _unit_counts(units_qs, counts, minimum),
            f"campaign progress {minimum}",
        )
        ids_page = Paginator(eligible, UNITS_PAGE_SIZE).get_page(page)
        names = dict(
            Unit.objects.filter(pk__in=[pk for pk, _ in ids_page.object_list]).values_list("pk", "name")
        )
        rows = [
            UnitProgress(
                unit=EligibleUnit(pk, code, names[pk]),
                received=received.get(pk, 0),
                awaiting=awaiting.get(pk, 0),
                minimum=minimum,
            )
            for pk, code in ids_page.object_list
        ]
        totals = (
            len(eligible),
            sum(1 for pk, _ in eligible if not received.get(pk)),
            sum(1 for pk, _ in eligible if received.get(pk, 0) < minimum),
            sum(received.get(pk, 0) for pk, _ in eligible),
            sum(awaiting.get(pk, 0) for pk, _ in eligible),
        )
        return totals, ids_page.number, rows

    key = (campaign.pk, minimum, str(page), UNITS_PAGE_SIZE)
    totals, number, rows = kept_while_read("campaign progress: a page", key, build)
    unit_count, without_dossier, below_minimum, received_total, awaiting_total = totals
    # The page again from what was kept: a paginator over the count, not the units.
    page_obj = page_again(rows, number, unit_count, UNITS_PAGE_SIZE)
    return CampaignProgress(
        unit_count=unit_count,
        without_dossier=without_dossier,
        below_minimum=below_minimum,
        received=received_total,
        awaiting=awaiting_total,
        page_obj=page_obj,
    )


def lagging_unit_ids(campaign: Campaign) -> list[int]:
    """Eligible units that have not yet sent the minimum number of dossiers."""
    return list(
        eligible_units_with_counts(campaign)
        .filter(Q(received__lt=campaign.min_initiatives_per_unit))
        .values_list("pk", flat=True)
    )


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
    *, issuing_unit_id: int, kinds: Iterable[str], scope: UnitIds | None
) -> list[Unit]:
    """Active units of ``kinds`` within the jurisdiction of the issuing unit (the committee
    it belongs to and everything under it: "all communes of the district") and within
    ``scope`` (the reform officer's, ``Principal.scope_units``; None for an administrator),
    by code."""
    units = Unit.objects.active().filter(pk__in=jurisdiction_subtree([issuing_unit_id]), kind__in=list(kinds))
    if scope is not None:
        units = units.filter(pk__in=scope)
    return list(units.order_by("code"))
