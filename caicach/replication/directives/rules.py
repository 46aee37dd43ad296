"""Who may do what with replication directives, each rule beside its list twin.

- Home Affairs of the issuing committee (``manages``) drafts, edits and lists the practices
  and assignments while the directive is a draft, and extends an issued one to units that
  came into being later.
- Whoever signs approves: only a leader of the committee itself (Chairman, Vice-chairman)
  issues it, under their own signature; Home Affairs prepares, it does not sign.
- The committee's Home Affairs and leaders see every directive of the committee; an obliged
  unit (its head and staff) sees the issued directives that oblige it. Anybody else: 404."""

from __future__ import annotations

from django.db.models import Q

from caicach.core.models import Role, Unit
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, rule
from caicach.replication.models import Directive, DirectiveStatus, Obligation
from caicach.replication.rules import UNIT_ROLES, leads, managed_q, manages, overseen_q, oversees


def _obliges(who: Principal, directive: Directive) -> bool:
    units = who.units_with_role(*UNIT_ROLES)
    return (
        bool(units)
        and directive.status == DirectiveStatus.ISSUED
        and Obligation.objects.filter(directive=directive, unit_id__in=units).exists()
    )


@rule(Directive, "view", "download")
def _view_directive(who: Principal, directive: Directive) -> bool:
    return oversees(who, directive.issuing_unit_id) or _obliges(who, directive)


def visible_directives_q(who: Principal) -> Q | None:
    """The list twin of ``view``: None means every directive (an administrator)."""
    overseen = overseen_q(who, "issuing_unit")
    if overseen is None:
        return None
    obliged = Obligation.objects.filter(unit_id__in=sorted(who.units_with_role(*UNIT_ROLES)))
    return overseen | Q(status=DirectiveStatus.ISSUED, pk__in=obliged.values("directive_id"))


@rule(Directive, "change")
def _change_directive(who: Principal, directive: Directive) -> bool:
    """Edit the draft: its text, listed practices and assignments."""
    return directive.status == DirectiveStatus.DRAFT and manages(who, directive.issuing_unit_id)


def editable_directives_q(who: Principal) -> Q:
    """The list twin of ``change``."""
    managed = managed_q(who, "issuing_unit")
    draft = Q(status=DirectiveStatus.DRAFT)
    return draft if managed is None else draft & managed


@rule(Directive, "issue")
def _issue_directive(who: Principal, directive: Directive) -> bool:
    # Whoever signs approves: a leader of the committee itself, never an administrator or
    # Home Affairs on the leader's behalf.
    return directive.status == DirectiveStatus.DRAFT and leads(who, directive.issuing_unit_id)


def issuable_directives_q(who: Principal) -> Q:
    """The list twin of ``issue``: the drafts waiting for this leader's signature."""
    leaders_of = sorted(who.units_with_role(Role.CHAIRMAN, Role.LEADER))
    return Q(status=DirectiveStatus.DRAFT, issuing_unit__in=leaders_of)


@rule(Directive, "extend")
def _extend_directive(who: Principal, directive: Directive) -> bool:
    """Give obligations to units that came into being after the directive was issued."""
    return directive.status == DirectiveStatus.ISSUED and manages(who, directive.issuing_unit_id)


@global_rule("replication.draft_directive")
def _draft_directive(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


@global_rule("replication.view_directives")
def _view_directives(who: Principal) -> bool:
    """The menu entry: overseers and units that may be obliged."""
    return who.is_admin or bool(
        who.units_with_role(Role.REFORM_OFFICER, Role.CHAIRMAN, Role.LEADER, *UNIT_ROLES)
    )


@rule(Unit, "draft_replication_directive")
def _draft_for_committee(who: Principal, unit: Unit) -> bool:
    """Draft a directive issued by ``unit``: its Home Affairs, and only for a committee."""
    return unit.kind in COMMITTEE_KINDS and manages(who, unit.pk)


def draftable_committees_q(who: Principal) -> Q:
    """The list twin of ``draft_replication_directive`` on units."""
    committees = Q(kind__in=sorted(COMMITTEE_KINDS))
    scope = who.scope_units(Role.REFORM_OFFICER)
    return committees if scope is None else committees & Q(pk__in=scope)
