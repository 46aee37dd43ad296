"""What the council partials need on the campaign and dossier pages: the council, the user's
seat and sheet, progress for those who run the council, and the aggregates once the round
is closed. A fixed number of queries, whatever the number of members and dossiers."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.models import User
from caicach.initiatives.models import Campaign, Initiative
from caicach.initiatives.review.queries import CouncilCard, DossierPanel, campaign_council_card, dossier_panel

register = template.Library()


def _user(context: template.Context) -> Any:
    return context.get("user") or context["request"].user


@register.simple_tag(takes_context=True)
def campaign_council(context: template.Context, campaign: Campaign) -> CouncilCard:
    """``{% campaign_council campaign as council_info %}``: the council summary for the
    campaign page (managers get links to run it, members a link to their scoring)."""
    return campaign_council_card(_user(context), campaign)


@register.simple_tag(takes_context=True)
def dossier_review(context: template.Context, initiative: Initiative) -> DossierPanel | None:
    """``{% dossier_review initiative as review %}``: for an assigned member a link to their
    sheet; for those who may see results, the dossier's aggregates after the round closed."""
    user = _user(context)
    return dossier_panel(user, initiative) if isinstance(user, User) else None
