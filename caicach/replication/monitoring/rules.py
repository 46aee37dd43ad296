"""Who follows replication: Home Affairs of a committee and the committee's leaders (the
``oversees`` predicate of caicach.replication.rules), administrators everywhere; nobody
else opens these pages (404).

``monitored_obligations_q`` is the list twin: the obligations of the directives of the
committees the user oversees. A test keeps it in step with ``oversees`` for every persona."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from caicach.core.models import Role, User
from caicach.core.permissions import Principal, global_rule, principal, rule
from caicach.replication.models import Obligation
from caicach.replication.rules import LEADER_ROLES, overseen_q, oversees

NOTHING = Q(pk__in=[])


@global_rule("replication.monitor")
def _monitor(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.REFORM_OFFICER, *LEADER_ROLES))


@rule(Obligation, "monitor")
def _monitor_obligation(who: Principal, obligation: Obligation) -> bool:
    return oversees(who, obligation.directive.issuing_unit_id)


def monitored_obligations_q(user: User | AnonymousUser) -> Q:
    """The twin of ``monitor`` on obligations."""
    who = principal(user)
    if who is None:
        return NOTHING
    overseen = overseen_q(who, "directive__issuing_unit")
    return Q() if overseen is None else overseen
