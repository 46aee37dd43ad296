"""Access rules for people's roles (memberships)."""

from __future__ import annotations

from caicach.core.models import Membership, Role
from caicach.core.permissions import Principal, rule


@rule(Membership, "view")
def _view_membership(who: Principal, membership: Membership) -> bool:
    return (
        who.is_admin
        or membership.user_id == who.user.pk
        or membership.unit_id in who.units_with_role(Role.UNIT_HEAD)
    )


@rule(Membership, "change")
def _change_membership(who: Principal, membership: Membership) -> bool:
    return who.is_admin
