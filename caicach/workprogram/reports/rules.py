"""Who may see and do what with the monthly reports, the summary and the KPIs.

- The Office (within its jurisdiction) and administrators follow every unit's reports,
  reopen submitted ones, compile and issue the summary, and see every unit's figures.
- A lead unit's head and staff file its reports; anyone working there reads them and sees
  the unit's own figures.
- The committee's leaders (the Chairman, vice-chairmen) read every unit's reports and see
  the figures of the whole program their committee issues; a vice-chairman's KPI page opens
  on the items they supervise (``narrows_by_default``), with a toggle to all.
- Any other leader sees the figures of the items they supervise.
- Anybody else gets 404.

``report_units_for`` and ``kpi_scope`` (at the end of this module) are the database-side twins of these
rules; tests keep each pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import Principal, may_act_for, principal, rule
from caicach.workprogram.models import ItemStatus, MonthlyReport, MonthlySummary, ProgramItem, WorkProgram
from caicach.workprogram.programs.rules import (
    LEADER_ROLES,
    UNIT_ROLES,
    leads_committee,
    office_covers,
    sees_program,
)


@rule(Unit, "workprogram.file_report")
def _file_report(who: Principal, unit: Unit) -> bool:
    """A unit's head and staff file its monthly reports (administrators may too)."""
    return may_act_for(who.user, unit.pk)


@rule(MonthlyReport, "view")
def _view_report(who: Principal, report: MonthlyReport) -> bool:
    return sees_program(who, report.program.issuing_unit_id) or report.unit_id in who.unit_ids


@rule(MonthlyReport, "change")
def _change_report(who: Principal, report: MonthlyReport) -> bool:
    """Edit and send the unit's report (whether it still may be edited is the service's
    business: a submitted report is closed until the Office reopens it)."""
    return who.is_admin or report.unit_id in who.units_with_role(*UNIT_ROLES)


@rule(MonthlyReport, "reopen")
def _reopen_report(who: Principal, report: MonthlyReport) -> bool:
    return office_covers(who, report.program.issuing_unit_id)


@rule(WorkProgram, "view_reports")
def _view_reports(who: Principal, program: WorkProgram) -> bool:
    """The Office's and the committee's leaders' view of every unit, or a lead unit's view
    of its own reports."""
    if sees_program(who, program.issuing_unit_id):
        return True
    return program.items.exclude(status=ItemStatus.WITHDRAWN).filter(lead_unit__in=who.unit_ids).exists()


@rule(WorkProgram, "view_kpis")
def _view_kpis(who: Principal, program: WorkProgram) -> bool:
    if sees_program(who, program.issuing_unit_id):
        return True
    return program.items.filter(Q(lead_unit__in=who.unit_ids) | Q(supervising_leader=who.user)).exists()


@rule(WorkProgram, "compile_summary")
def _compile_summary(who: Principal, program: WorkProgram) -> bool:
    return office_covers(who, program.issuing_unit_id)


@rule(MonthlySummary, "view", "change", "issue")
def _manage_summary(who: Principal, summary: MonthlySummary) -> bool:
    return office_covers(who, summary.program.issuing_unit_id)


def register_report_labels() -> None:
    """What the audit trail shows for the reports' actions, and where their links go
    (called from the app's ``ready``)."""
    from django.utils.translation import gettext_lazy as _

    from caicach.core.audit.queries import register_action_labels, register_object_url

    register_action_labels(
        {
            "monthly_report.create": _("Lập báo cáo tháng"),
            "monthly_report.update": _("Sửa báo cáo tháng"),
            "monthly_report.submit": _("Gửi báo cáo tháng"),
            "monthly_report.reopen": _("Mở lại báo cáo tháng để bổ sung"),
            "monthly_summary.create": _("Lập báo cáo tổng hợp tháng"),
            "monthly_summary.update": _("Sửa báo cáo tổng hợp tháng"),
            "monthly_summary.issue": _("Ban hành báo cáo tổng hợp tháng, cấp số"),
        }
    )
    register_object_url(MonthlyReport, "workprogram:report_detail")


def monthly_reports_for(user: User | AnonymousUser) -> QuerySet[MonthlyReport]:
    """The reports ``user`` may read: the database-side twin of MonthlyReport's ``view`` rule
    (the programs their Office role covers or their committee issues as its leader, and
    their own units' reports)."""
    who = principal(user)
    reports = MonthlyReport.objects.select_related("program", "unit")
    if who is None:
        return reports.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:  # an administrator
        return reports
    return reports.filter(
        Q(program__issuing_unit__in=office_scope)
        | Q(program__issuing_unit__in=who.units_with_role(*LEADER_ROLES))
        | Q(unit__in=who.unit_ids)
    )


def kpi_scope(user: User | AnonymousUser, program: WorkProgram) -> Q:
    """The items of ``program`` whose figures ``user`` sees (the definition above). The
    database-side twin of ``kpi_covers``; a test keeps the two in step."""
    who = principal(user)
    if who is None:
        return Q(pk__in=[])
    if sees_program(who, program.issuing_unit_id):
        return Q()
    return Q(lead_unit_id__in=who.unit_ids) | Q(supervising_leader_id=who.user.pk)


def kpi_covers(user: User | AnonymousUser, item: ProgramItem) -> bool:
    """Whether ``item``'s figures count on ``user``'s KPI pages (``kpi_scope`` for one item)."""
    who = principal(user)
    if who is None:
        return False
    if sees_program(who, item.program.issuing_unit_id):
        return True
    return item.lead_unit_id in who.unit_ids or item.supervising_leader_id == who.user.pk


def sees_all_units(user: User | AnonymousUser, program: WorkProgram) -> bool:
    who = principal(user)
    return who is not None and sees_program(who, program.issuing_unit_id)


# The KPI page's toggle for a committee's leaders (``?pham_vi=``): the items they supervise,
# or the whole program.
SCOPE_MINE = "cua-toi"
SCOPE_ALL = "tat-ca"


def may_narrow_to_supervised(user: User | AnonymousUser, program: WorkProgram) -> bool:
    """Whether ``user`` is offered the toggle: a leader of the committee issuing ``program``."""
    who = principal(user)
    return who is not None and leads_committee(who, program.issuing_unit_id)


def narrows_by_default(user: User | AnonymousUser, program: WorkProgram) -> bool:
    """Whether ``user``'s KPI page opens on the items they supervise: a vice-chairman's
    does; the Chairman's (and the Office's, whoever also keeps the program) opens on all."""
    who = principal(user)
    if who is None or not leads_committee(who, program.issuing_unit_id):
        return False
    if who.has_role(Role.CHAIRMAN, program.issuing_unit_id):
        return False
    return not office_covers(who, program.issuing_unit_id)


def supervised_only(user: User | AnonymousUser, program: WorkProgram, choice: str | None) -> bool:
    """Whether the page narrows to ``user``'s supervised items, given the toggle's ``choice``
    (absent or unknown: the default)."""
    if not may_narrow_to_supervised(user, program):
        return False
    if choice in (SCOPE_MINE, SCOPE_ALL):
        return choice == SCOPE_MINE
    return narrows_by_default(user, program)


def report_units_for(user: User, program: WorkProgram) -> QuerySet[Unit]:
    """The expected units whose reports ``user`` follows: all for the Office (within its
    jurisdiction), the committee's leaders and administrators, otherwise the units the user
    works in."""
    units = expected_units(program)
    who = principal(user)
    if who is None:
        return units.none()
    if sees_program(who, program.issuing_unit_id):
        return units
    return units.filter(pk__in=who.unit_ids)


def expected_units(program: WorkProgram) -> QuerySet[Unit]:
    """The units that report on ``program`` every month: the lead units of its items that
    were not withdrawn."""
    lead_ids = (
        ProgramItem.objects.filter(program=program)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("lead_unit_id")
    )
    return Unit.objects.filter(pk__in=lead_ids).order_by("code")


def filing_unit_ids(user: User | AnonymousUser) -> set[int]:
    """The units whose reports ``user`` files as head or staff: the role branch of the
    ``workprogram.file_report`` rule, for the to-do lists (the administrator's bypass left
    out: their home page does not carry every unit's reports)."""
    who = principal(user)
    return who.units_with_role(*UNIT_ROLES) if who is not None else set()
