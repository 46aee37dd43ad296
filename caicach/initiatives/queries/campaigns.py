"""Reads for the initiatives pages."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from caicach.core.models import Role, User
from caicach.core.permissions import principal
from caicach.initiatives.models import Campaign, CampaignStatus


def campaigns_with_units() -> QuerySet[Campaign]:
    """Campaigns with what their pages and the plan document read: the issuing unit and its
    parent (the header), the receiving unit, the number and the author."""
    return Campaign.objects.select_related(
        "issuing_unit__parent", "receiving_unit", "registered_document", "created_by"
    )


def campaigns_for(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """The campaigns ``user`` may see: the database-side twin of the ``view`` rule in rules.py
    (a test keeps the two in step)."""
    who = principal(user)
    campaigns = Campaign.objects.select_related(
        "issuing_unit", "receiving_unit", "registered_document"
    ).annotate(eligible_count=Count("eligible_units", distinct=True))
    if who is None:
        return campaigns.none()
    reform_scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    if reform_scope is None:  # an administrator
        return campaigns
    units = who.unit_ids
    return campaigns.filter(
        Q(issuing_unit__in=units | reform_scope)
        | Q(receiving_unit__in=units | reform_scope)
        | (
            ~Q(status=CampaignStatus.DRAFT)
            & Q(
                pk__in=Campaign.eligible_units.through.objects.filter(unit_id__in=units).values("campaign_id")
            )
        )
    )
