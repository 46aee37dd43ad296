"""What the council partials need on the campaign and dossier pages: the council, the user's
seat and sheet, progress for those who run the council, and the aggregates once the round
is closed. A fixed number of queries, whatever the number of members and dossiers."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.models import User
from caicach.core.permissions import can
from caicach.initiatives.models import Campaign, Initiative, ReviewAssignment
from caicach.initiatives.review.queries import (
    DossierPanel,
    council_members,
    councils_with_relations,
    dossier_panel,
    member_progress,
)

register = template.Library()


def _user(context: template.Context) -> Any:
    return context.get("user") or context["request"].user


@register.simple_tag(takes_context=True)
def campaign_council(context: template.Context, campaign: Campaign) -> dict[str, Any]:
    """``{% campaign_council campaign as council_info %}``: the council summary for the
    campaign page (managers get links to run it, members a link to their scoring)."""
    user = _user(context)
    council = councils_with_relations().filter(campaign_id=campaign.pk).first()
    if council is None:
        return {"council": None, "can_create": can(user, "change", campaign)}
    members = council_members(council)
    seat = next((m for m in members if isinstance(user, User) and m.user_id == user.pk), None)
    can_progress = can(user, "progress", council)
    progress = member_progress(council) if can_progress else []
    mine = (
        ReviewAssignment.objects.filter(member=seat, excluded=False).values_list("submitted_at", flat=True)
        if seat is not None
        else []
    )
    mine = list(mine)
    return {
        "council": council,
        "members": members,
        "seat": seat,
        "can_view": can(user, "view", council),
        "can_change": can(user, "change", council),
        "can_progress": can_progress,
        "can_results": can(user, "results", council),
        "assigned": sum(p.assigned for p in progress),
        "submitted": sum(p.submitted for p in progress),
        "mine_total": len(mine),
        "mine_open": sum(1 for submitted in mine if submitted is None),
    }


@register.simple_tag(takes_context=True)
def dossier_review(context: template.Context, initiative: Initiative) -> DossierPanel | None:
    """``{% dossier_review initiative as review %}``: for an assigned member a link to their
    sheet; for those who may see results, the dossier's aggregates after the round closed."""
    user = _user(context)
    return dossier_panel(user, initiative) if isinstance(user, User) else None
