"""Who may see and change campaigns."""

from __future__ import annotations

from caicach.core.models import Role
from caicach.core.permissions import Principal, global_rule, rule
from caicach.initiatives.models import Campaign


@global_rule("initiatives.create_campaign")
def _create_campaign(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


@rule(Campaign, "view")
def _view_campaign(who: Principal, campaign: Campaign) -> bool:
    if who.is_admin or who.has_role(Role.REFORM_OFFICER):
        return True
    units = who.unit_ids
    if campaign.issuing_unit_id in units or campaign.receiving_unit_id in units:
        return True
    return campaign.is_open_to_units and campaign.eligible_units.filter(pk__in=units).exists()


@rule(Campaign, "change", "publish")
def _change_campaign(who: Principal, campaign: Campaign) -> bool:
    if who.is_admin:
        return True
    officers_of = who.units_with_role(Role.REFORM_OFFICER)
    return campaign.issuing_unit_id in officers_of or campaign.receiving_unit_id in officers_of
