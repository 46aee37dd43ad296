"""Who sees which task statistics (issue 14).

- The Office of a committee (OFFICE_OFFICER within its jurisdiction) and the committee's
  leaders (CHAIRMAN, LEADER) see all of the committee's statistics: every lead unit, every
  assigning leader, every source, the drill-down to any cell, the exports and the periodic
  report (the report is the Office's: only it drafts and issues it).
- The head of a unit (UNIT_HEAD) sees the row of their own unit and its drill-down only,
  whichever committee assigned the tasks.
- Anybody else gets 404.

``statistics_scope`` is the database-side twin of the rules: the tasks a user's figures are
counted from; a test keeps the pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, principal, rule
from caicach.deliberation.consultations.rules import LEADER_ROLES, leads_committee, office_covers
from caicach.oversight.models import Task, TaskReport

NOTHING = Q(pk__in=[])


@global_rule("oversight.view_statistics")
def _view_statistics(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.OFFICE_OFFICER, *LEADER_ROLES, Role.UNIT_HEAD))


@rule(Unit, "oversight.statistics")
def _committee_statistics(who: Principal, unit: Unit) -> bool:
    """All of a committee's statistics."""
    return unit.kind in COMMITTEE_KINDS and (office_covers(who, unit.pk) or leads_committee(who, unit.pk))


@rule(Unit, "oversight.draft_task_report")
def _draft_report(who: Principal, unit: Unit) -> bool:
    """The Office drafts the periodic report on task performance."""
    return unit.kind in COMMITTEE_KINDS and office_covers(who, unit.pk)


@rule(TaskReport, "view")
def _view_report(who: Principal, report: TaskReport) -> bool:
    return office_covers(who, report.committee_id) or leads_committee(who, report.committee_id)


@rule(TaskReport, "change")
def _change_report(who: Principal, report: TaskReport) -> bool:
    return report.registered_document_id is None and office_covers(who, report.committee_id)


@rule(TaskReport, "issue")
def _issue_report(who: Principal, report: TaskReport) -> bool:
    """A leader of the committee signs and issues it in the committee's name: whoever signs
    approves."""
    return report.registered_document_id is None and leads_committee(who, report.committee_id)


def task_reports_for(user: User | AnonymousUser) -> QuerySet[TaskReport]:
    """The twin of TaskReport's ``view`` rule."""
    who = principal(user)
    reports = TaskReport.objects.select_related("committee", "registered_document")
    if who is None:
        return reports.none()
    office = who.scope_units(Role.OFFICE_OFFICER)
    if office is None:
        return reports
    return reports.filter(Q(committee__in=office) | Q(committee__in=who.units_with_role(*LEADER_ROLES)))


@rule(Unit, "oversight.unit_statistics")
def _unit_statistics(who: Principal, unit: Unit) -> bool:
    """One lead unit's row and drill-down: its head (or an administrator)."""
    return who.is_admin or unit.pk in who.units_with_role(Role.UNIT_HEAD)


def statistics_committees(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose statistics ``user`` sees whole, the province first: the list twin
    of ``oversight.statistics``."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by(
        F("parent").asc(nulls_first=True), "code"
    )
    if who is None:
        return committees.none()
    office = who.scope_units(Role.OFFICE_OFFICER)
    if office is None:
        return committees
    return committees.filter(Q(pk__in=office) | Q(pk__in=who.units_with_role(*LEADER_ROLES)))


def headed_unit_ids(user: User | AnonymousUser) -> set[int]:
    who = principal(user)
    return set() if who is None else who.units_with_role(Role.UNIT_HEAD)


def statistics_scope(user: User | AnonymousUser, committee: Unit | None) -> Q:
    """The tasks whose figures ``user`` sees: all of ``committee``'s when they see it whole
    (``committee`` already checked with ``oversight.statistics``), otherwise those their
    units lead as head. ``NOTHING`` for anyone else."""
    who = principal(user)
    if who is None:
        return NOTHING
    if committee is not None:
        return Q(committee_id=committee.pk)
    headed = who.units_with_role(Role.UNIT_HEAD)
    return Q(lead_unit_id__in=sorted(headed)) if headed else NOTHING


def task_counts_for(user: User | AnonymousUser, task: Task) -> bool:
    """Whether ``task`` counts in some statistics ``user`` sees (the twin, for one task)."""
    who = principal(user)
    if who is None:
        return False
    return _committee_statistics(who, task.committee) or task.lead_unit_id in who.units_with_role(
        Role.UNIT_HEAD
    )
