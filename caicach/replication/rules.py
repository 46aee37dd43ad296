"""Who oversees replication in a committee; each area's ``rules.py`` builds on these.

- Home Affairs (REFORM_OFFICER) manages practices, directives and monitoring within its
  jurisdiction (``Principal.scope_unit_ids``): a province's Department covers the province
  and everything under it; administrators everywhere.
- The committee's leaders (Chairman, Vice-chairmen) see everything of their own committee.
- An obliged unit (its head and staff) sees its own obligations and reports on them.
- The public sees only published practices (the showcase); anybody else gets 404."""

from __future__ import annotations

from django.db.models import Q

from caicach.core.models import Role
from caicach.core.permissions import Principal, among
from caicach.replication.models import Directive

LEADER_ROLES = (Role.CHAIRMAN, Role.LEADER)
UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def manages(who: Principal, committee_id: int) -> bool:
    """Whether ``who`` is Home Affairs for ``committee_id`` (or an administrator)."""
    scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    return scope is None or committee_id in scope


def leads(who: Principal, committee_id: int) -> bool:
    """Whether ``who`` leads the committee itself (not one above or below it)."""
    return committee_id in who.units_with_role(*LEADER_ROLES)


def oversees(who: Principal, committee_id: int) -> bool:
    """Sees everything of the committee's replication: its Home Affairs and its leaders."""
    return manages(who, committee_id) or leads(who, committee_id)


def managed_q(who: Principal, field: str) -> Q | None:
    """The list twin of ``manages`` on the committee in ``field`` (None: unrestricted)."""
    scope = who.scope_units(Role.REFORM_OFFICER)
    return None if scope is None else Q(**{f"{field}__in": scope})


def overseen_q(who: Principal, field: str) -> Q | None:
    """The list twin of ``oversees`` on the committee in ``field`` (None: unrestricted)."""
    managed = managed_q(who, field)
    if managed is None:
        return None
    return managed | Q(**{f"{field}__in": sorted(who.units_with_role(*LEADER_ROLES))})


def directives_among(field: str, committees: Q | None) -> Q | None:
    """Rows whose directive (``field``) was issued by the committees ``committees`` picks on
    the directive (``overseen_q`` or ``managed_q`` of ``"issuing_unit"``; None: unrestricted,
    returned as it is). An index lookup among those directives' ids: a row (an obligation)
    is never joined to its directive only to be filtered, and the OR with a unit's own rows
    stays an index lookup too. A province's adoption reports were found by sorting the
    country's (0.5 s)."""
    if committees is None:
        return None
    return among(field, Directive.objects.filter(committees).values("pk"))
