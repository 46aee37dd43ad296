"""Who follows replication: Home Affairs of a committee and the committee's leaders (the
``oversees`` predicate of caicach.replication.rules), administrators everywhere; nobody
else opens these pages (404).

``monitored_obligations_q`` is the list twin: the obligations of the directives of the
committees the user oversees. A test keeps it in step with ``oversees`` for every persona."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import Principal, global_rule, principal, rule
from caicach.replication.models import Obligation, ReplicationSummary
from caicach.replication.rules import (
    LEADER_ROLES,
    directives_among,
    leads,
    managed_q,
    manages,
    overseen_q,
    oversees,
)

NOTHING = Q(pk__in=[])


@global_rule("replication.monitor")
def _monitor(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.REFORM_OFFICER, *LEADER_ROLES))


@rule(Obligation, "monitor")
def _monitor_obligation(who: Principal, obligation: Obligation) -> bool:
    return oversees(who, obligation.directive.issuing_unit_id)


def monitored_obligations_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """The twin of ``monitor`` on obligations; with ``prefix`` (``"obligation__"``), on rows
    that point at one, filtered on their own join rather than through a subquery of ids."""
    who = principal(user)
    if who is None:
        return NOTHING
    overseen = directives_among(f"{prefix}directive_id", overseen_q(who, "issuing_unit"))
    return Q() if overseen is None else overseen


# --- The periodic summary (Home Affairs' report to the committee) -------------------------------


def _summary_committee_ids(summary: ReplicationSummary) -> tuple[int, int | None]:
    """The Home Affairs unit that issues it, and the committee it reports to."""
    return summary.issuing_unit_id, summary.issuing_unit.parent_id


@global_rule("replication.compile_summary")
def _compile_summary(who: Principal) -> bool:
    return bool(who.units_with_role(Role.REFORM_OFFICER))


@rule(ReplicationSummary, "view")
def _view_summary(who: Principal, summary: ReplicationSummary) -> bool:
    unit_id, committee_id = _summary_committee_ids(summary)
    return manages(who, unit_id) or (committee_id is not None and leads(who, committee_id))


@rule(ReplicationSummary, "change", "issue")
def _change_summary(who: Principal, summary: ReplicationSummary) -> bool:
    """Home Affairs drafts and issues its own report: its reform officers."""
    return summary.issuing_unit_id in who.units_with_role(Role.REFORM_OFFICER)


def visible_summaries_q(user: User | AnonymousUser) -> Q:
    """The twin of ``view`` on summaries."""
    who = principal(user)
    if who is None:
        return NOTHING
    managed = managed_q(who, "issuing_unit")
    if managed is None:
        return Q()
    return managed | Q(issuing_unit__parent_id__in=sorted(who.units_with_role(*LEADER_ROLES)))


@rule(Unit, "change_replication_settings")
def _change_settings(who: Principal, committee: Unit) -> bool:
    """The committee's reporting regime: its Home Affairs (seed 004, III.6)."""
    return manages(who, committee.pk)
