"""Who may see and change campaigns.

A reform officer acts within their jurisdiction: the committee their unit belongs to and
every unit under it (``Principal.scope_unit_ids``). ``queries.campaigns_for`` is the
database-side twin of the ``view`` rule; a test keeps the two in step."""

from __future__ import annotations

from caicach.core.models import Role
from caicach.core.permissions import Principal, global_rule, rule
from caicach.initiatives.models import Campaign


@global_rule("initiatives.view_campaigns")
def _view_campaigns(who: Principal) -> bool:
    # Anyone signed in may open the list; the list itself shows only what they may see.
    return True


@global_rule("initiatives.create_campaign")
def _create_campaign(who: Principal) -> bool:
    # Which issuing units they may pick is checked by services.campaign_create.
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


def _in_reform_scope(who: Principal, campaign: Campaign) -> bool:
    scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    return scope is None or campaign.issuing_unit_id in scope or campaign.receiving_unit_id in scope


@rule(Campaign, "view")
def _view_campaign(who: Principal, campaign: Campaign) -> bool:
    if who.is_admin or _in_reform_scope(who, campaign):
        return True
    units = who.unit_ids
    if campaign.issuing_unit_id in units or campaign.receiving_unit_id in units:
        return True
    return campaign.is_open_to_units and campaign.eligible_units.filter(pk__in=units).exists()


@rule(Campaign, "change", "publish")
def _change_campaign(who: Principal, campaign: Campaign) -> bool:
    return who.is_admin or _in_reform_scope(who, campaign)
