"""Who may do what with practices, each rule beside its list twin.

- Home Affairs of the committee (``manages``) keeps the catalogue: creates, edits, attaches,
  evaluates proposals, publishes accepted practices to the showcase, and turns a recognised
  initiative of its jurisdiction into a practice.
- The committee's leaders see every practice of the committee.
- A unit (its head and staff) sees the accepted practices of the committees above it — it
  must read what it may be asked to apply — and the proposals it made itself; it proposes
  practices to the committee above it. Anybody else: 404."""

from __future__ import annotations

from django.db.models import Q

from caicach.core.models import Role, Unit, UnitAncestry
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, rule
from caicach.initiatives.models import Initiative, InitiativeStatus
from caicach.replication.models import Practice, PracticeStatus
from caicach.replication.rules import LEADER_ROLES, UNIT_ROLES, managed_q, manages, overseen_q, oversees


def _committees_above_q(units: set[int]) -> Q:
    """The committees a unit answers to at any level (itself excluded), as a filter on
    ``committee``: a department and a commune both see their province's catalogue."""
    above = UnitAncestry.objects.filter(
        descendant_id__in=sorted(units), depth__gt=0, ancestor__kind__in=sorted(COMMITTEE_KINDS)
    ).values("ancestor_id")
    return Q(committee__in=above)


@rule(Practice, "view", "download")
def _view_practice(who: Principal, practice: Practice) -> bool:
    if oversees(who, practice.committee_id):
        return True
    units = who.units_with_role(*UNIT_ROLES)
    if not units:
        return False
    if practice.proposing_unit_id in units:
        return True
    return (
        practice.status == PracticeStatus.ACCEPTED
        and UnitAncestry.objects.filter(
            descendant_id__in=sorted(units), depth__gt=0, ancestor_id=practice.committee_id
        ).exists()
    )


def visible_practices_q(who: Principal) -> Q | None:
    """The list twin of ``view``: None means every practice (an administrator)."""
    overseen = overseen_q(who, "committee")
    if overseen is None:
        return None
    units = who.units_with_role(*UNIT_ROLES)
    if not units:
        return overseen
    return (
        overseen
        | Q(proposing_unit__in=sorted(units))
        | (Q(status=PracticeStatus.ACCEPTED) & _committees_above_q(units))
    )


@rule(Practice, "change")
def _change_practice(who: Principal, practice: Practice) -> bool:
    """Edit the text and the attachments."""
    return manages(who, practice.committee_id)


def editable_practices_q(who: Principal) -> Q:
    """The list twin of ``change``."""
    return managed_q(who, "committee") or Q()


@rule(Practice, "evaluate")
def _evaluate_practice(who: Principal, practice: Practice) -> bool:
    return practice.status == PracticeStatus.PROPOSED and manages(who, practice.committee_id)


def evaluable_practices_q(who: Principal) -> Q:
    """The list twin of ``evaluate``: the proposals waiting for this Home Affairs."""
    proposed = Q(status=PracticeStatus.PROPOSED)
    managed = managed_q(who, "committee")
    return proposed if managed is None else proposed & managed


@rule(Practice, "publish")
def _publish_practice(who: Principal, practice: Practice) -> bool:
    """Put on (or take off) the public showcase: accepted practices only."""
    return practice.status == PracticeStatus.ACCEPTED and manages(who, practice.committee_id)


@rule(Initiative, "make_practice")
def _make_practice(who: Principal, initiative: Initiative) -> bool:
    """A recognised initiative becomes a practice of the committee that ran its campaign
    (or, without a campaign, of any committee whose Home Affairs covers its unit)."""
    if initiative.status != InitiativeStatus.RECOGNISED:
        return False
    campaign = initiative.campaign
    if campaign is not None:
        return manages(who, campaign.issuing_unit_id)
    return manages(who, initiative.unit_id)


@global_rule("replication.view_practices")
def _view_practices(who: Principal) -> bool:
    """The menu entry: Home Affairs, leaders and the units."""
    return who.is_admin or bool(who.units_with_role(Role.REFORM_OFFICER, *LEADER_ROLES, *UNIT_ROLES))


@global_rule("replication.create_practice")
def _create_practice(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


@global_rule("replication.propose_practice")
def _propose_practice(who: Principal) -> bool:
    return bool(who.units_with_role(*UNIT_ROLES))


@rule(Unit, "create_practice")
def _create_for_committee(who: Principal, unit: Unit) -> bool:
    """Add a practice to ``unit``'s catalogue: its Home Affairs, and only for a committee."""
    return unit.kind in COMMITTEE_KINDS and manages(who, unit.pk)


@rule(Unit, "propose_practice")
def _propose_for_unit(who: Principal, unit: Unit) -> bool:
    """Propose in ``unit``'s name: its head or staff."""
    return unit.pk in who.units_with_role(*UNIT_ROLES)
