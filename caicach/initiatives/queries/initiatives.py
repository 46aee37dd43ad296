"""Reads of initiative dossiers: who may see which (the database-side twin of the ``view``
rule in rules.py, kept in step by a test) and what the pages need loaded with them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from caicach.core.models import Role, User
from caicach.core.permissions import principal
from caicach.initiatives.models import Authorship, Campaign, Initiative, ReviewAssignment
from caicach.initiatives.rules import MANAGER_VISIBLE_STATUSES


def initiatives_with_relations() -> QuerySet[Initiative]:
    """Dossiers with what the rules and the pages read: campaign (and its units, for the
    reform officer's scope), unit, receipt, and the authors table in order."""
    return Initiative.objects.select_related(
        "campaign__issuing_unit", "campaign__receiving_unit", "unit", "receipt", "created_by"
    ).prefetch_related(Prefetch("authorships", queryset=Authorship.objects.order_by("position")))


def initiatives_for(user: User | AnonymousUser) -> QuerySet[Initiative]:
    """The dossiers ``user`` may see (see ``rules._view_initiative``)."""
    who = principal(user)
    initiatives = initiatives_with_relations()
    if who is None:
        return initiatives.none()
    reform_scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    if reform_scope is None:  # an administrator
        return initiatives
    me = who.user.pk
    visible = Q(created_by_id=me) | Q(pk__in=Authorship.objects.filter(user_id=me).values("initiative_id"))
    headed = who.units_with_role(Role.UNIT_HEAD)
    if headed:
        visible |= Q(unit_id__in=headed)
    if reform_scope:
        campaigns_managed = Campaign.objects.filter(
            Q(issuing_unit_id__in=reform_scope) | Q(receiving_unit_id__in=reform_scope)
        ).values("pk")
        visible |= Q(status__in=MANAGER_VISIBLE_STATUSES) & (
            Q(campaign_id__in=campaigns_managed) | (Q(campaign__isnull=True) & Q(unit_id__in=reform_scope))
        )
    visible |= Q(
        pk__in=ReviewAssignment.objects.filter(member__user_id=me, excluded=False).values("initiative_id")
    )
    return initiatives.filter(visible)
