"""Reads of the adoption reports: which cycles an obligation may be reported on, what the
report form starts from (the previous cycle's report), the unit's obligations with the state
of the current cycle's report, Home Affairs' review list and the home page's to-dos.

A report's state as the lists show it (``ReportState``) is derived, never stored: "late"
is a report not sent (missing or still a draft, or returned) after its due date, or one
sent after it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.audit.queries import events_for
from caicach.core.choices import kept_while_read
from caicach.core.models import AuditEvent, User
from caicach.core.pagination import rows_by_key
from caicach.core.permissions import scope_key
from caicach.core.todos import TodoEntry, TodoItem, count_and_first
from caicach.replication.adoption.rules import (
    filing_unit_ids,
    reports_to_review_q,
    reviewed_directives_q,
    visible_obligations_q,
    visible_reports_q,
)
from caicach.replication.cycles import Cycle, cycle_of, cycles_between, report_due_on, settings_for
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionResult,
    AdoptionStatus,
    Directive,
    Obligation,
    ReplicationSettings,
)

# Results a report may carry (a form of a few rows, not a spreadsheet).
MAX_RESULTS = 20
# Evidence files a report may carry.
MAX_EVIDENCE = 10
# The form's blank result rows offered when it opens, and added by "Thêm dòng" (no JS).
BLANK_RESULT_ROWS = 1
# How long submitted reports stay on Home Affairs' to-do "to review" after their due date:
# the round of one cycle is looked over in the month after its reports fall due.
REVIEW_WINDOW_DAYS = 30


# --- Cycles ----------------------------------------------------------------------------------


def cycle_kind(obligation: Obligation) -> str:
    """The obligation's reporting cycle: its assignment's, or the directive's."""
    return obligation.assignment.cycle


def cycle_for(obligation: Obligation, period_start: datetime.date) -> Cycle:
    return cycle_of(period_start, cycle_kind(obligation))


def current_cycle(obligation: Obligation, today: datetime.date | None = None) -> Cycle:
    return cycle_of(today or clock.today(), cycle_kind(obligation))


def reportable_cycles(obligation: Obligation, today: datetime.date | None = None) -> list[Cycle]:
    """The cycles ``obligation`` may be reported on, newest first: from the one holding its
    first day to the current one (a unit may report early on the cycle under way); for an
    obligation handed to a successor, none after its last day."""
    today = today or clock.today()
    last = today if obligation.ended_on is None else min(today, obligation.ended_on)
    return list(reversed(cycles_between(obligation.starts_on, last, cycle_kind(obligation))))


def cycle_problem(
    obligation: Obligation, period_start: datetime.date, today: datetime.date, *, new: bool
) -> str | None:
    """Why a report on the cycle starting ``period_start`` may not be written (None: it may).
    ``new``: no report exists yet for that cycle."""
    cycle = cycle_for(obligation, period_start)
    if cycle.start != period_start:
        return _("Kỳ báo cáo không hợp lệ.")
    if cycle.start > today:
        return _("Kỳ %(cycle)s chưa bắt đầu: chưa thể báo cáo cho kỳ trong tương lai.") % {
            "cycle": cycle.label
        }
    if cycle.end < obligation.starts_on:
        return _("Kỳ %(cycle)s kết thúc trước khi đơn vị được giao nhiệm vụ (từ ngày %(start)s).") % {
            "cycle": cycle.label,
            "start": f"{obligation.starts_on:%d/%m/%Y}",
        }
    if new and obligation.ended_on is not None:
        return _(
            "Nhiệm vụ đã chuyển giao hoặc kết thúc từ ngày %(day)s; không lập báo cáo mới cho nhiệm vụ này."
        ) % {"day": f"{obligation.ended_on:%d/%m/%Y}"}
    return None


def due_on(obligation: Obligation, cycle: Cycle) -> datetime.date:
    return report_due_on(cycle, settings_for(obligation.directive.issuing_unit_id))


# --- Report content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultInput:
    indicator: str
    measure_unit: str = ""
    baseline: Decimal | None = None
    current: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportContent:
    """What the unit writes in a report (everything but the evidence files)."""

    adoption_status: str
    reason: str = ""
    started_on: datetime.date | None = None
    scope: str = ""
    difficulties: str = ""
    proposals: str = ""
    results: tuple[ResultInput, ...] = ()


def content_of(report: AdoptionReport) -> ReportContent:
    return ReportContent(
        adoption_status=report.adoption_status,
        reason=report.reason,
        started_on=report.started_on,
        scope=report.scope,
        difficulties=report.difficulties,
        proposals=report.proposals,
        results=tuple(
            ResultInput(
                indicator=row.indicator,
                measure_unit=row.measure_unit,
                baseline=row.baseline,
                current=row.current,
                note=row.note,
            )
            for row in report.results.all()
        ),
    )


def previous_report(obligation: Obligation, period_start: datetime.date) -> AdoptionReport | None:
    """The latest report of ``obligation`` on an earlier cycle (what a new report starts
    from); for an obligation taken over from a merged unit, that unit's last one."""
    report = (
        AdoptionReport.objects.filter(obligation=obligation, period_start__lt=period_start)
        .prefetch_related("results")
        .order_by("-period_start")
        .first()
    )
    if report is None and obligation.transferred_from_id:
        report = (
            AdoptionReport.objects.filter(obligation_id=obligation.transferred_from_id)
            .prefetch_related("results")
            .order_by("-period_start")
            .first()
        )
    return report


def prefilled_content(obligation: Obligation, period_start: datetime.date) -> ReportContent:
    """A new report's content: the previous cycle's status (with its reason), start date,
    scope and result rows as they were (the unit updates the current values); never its
    evidence, difficulties or proposals, which belong to that cycle."""
    previous = previous_report(obligation, period_start)
    if previous is None:
        return ReportContent(adoption_status="not_started")
    content = content_of(previous)
    return ReportContent(
        adoption_status=content.adoption_status,
        reason=content.reason,
        started_on=content.started_on,
        scope=content.scope,
        results=content.results,
    )


# --- Fetching ----------------------------------------------------------------------------------


def report_queryset() -> QuerySet[AdoptionReport]:
    return AdoptionReport.objects.select_related(
        "obligation__unit",
        "obligation__practice",
        "obligation__directive__issuing_unit",
        "obligation__assignment__directive",
        "submitted_by",
        "returned_by",
    )


def obligation_queryset() -> QuerySet[Obligation]:
    return Obligation.objects.select_related(
        "unit", "practice", "directive__issuing_unit", "assignment__directive", "transferred_from"
    )


def reports_with_rows() -> QuerySet[AdoptionReport]:
    """``report_queryset`` with each report's results and evidence (two queries more)."""
    return report_queryset().prefetch_related(
        Prefetch("results", queryset=AdoptionResult.objects.order_by("position", "id")), "evidence"
    )


def report_with_rows(report: AdoptionReport) -> AdoptionReport:
    """``report`` read again with its results and evidence."""
    return reports_with_rows().get(pk=report.pk)


def return_history(report: AdoptionReport) -> list[AuditEvent]:
    """Every return of ``report`` with its note, and every submission, oldest first (the
    report keeps only the latest note; the audit trail keeps them all)."""
    return list(
        events_for(report)
        .filter(action__in=["adoption_report.submit", "adoption_report.return"])
        .order_by("created_at", "id")
    )


def report_edit_url(obligation: Obligation | int, period_start: datetime.date) -> str:
    pk = obligation if isinstance(obligation, int) else obligation.pk
    return reverse("replication:report_edit", args=[pk, period_start.isoformat()])


# --- States for the lists ------------------------------------------------------------------------


class ReportState:
    NONE = "none"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"


STATE_LABELS = {
    ReportState.NONE: gettext_lazy("Chưa báo cáo"),
    ReportState.DRAFT: gettext_lazy("Đang soạn"),
    ReportState.SUBMITTED: gettext_lazy("Đã gửi"),
    ReportState.RETURNED: gettext_lazy("Trả lại để bổ sung"),
}


def is_late(report: AdoptionReport | None, due: datetime.date, today: datetime.date) -> bool:
    """Late: sent after the due date, or not sent (missing, draft, returned) when it has passed."""
    if report is not None and report.status == AdoptionReportStatus.SUBMITTED:
        return report.is_late
    return today > due


@dataclass
class ObligationRow:
    obligation: Obligation
    # The cycle the unit reports on now: the last closed one (its report is due or overdue),
    # or the current one when the obligation began in it; None once the obligation has
    # been handed on before any cycle it could report.
    cycle: Cycle | None
    due: datetime.date | None
    report: AdoptionReport | None
    late: bool
    can_file: bool
    # The cycle under way, which a unit may report on early (None: it is ``cycle``).
    early_cycle: Cycle | None = None
    early_report: AdoptionReport | None = None

    @property
    def state(self) -> str:
        return self.report.status if self.report is not None else ReportState.NONE

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def edit_url(self) -> str:
        return report_edit_url(self.obligation, self.cycle.start) if self.cycle else ""

    @property
    def early_url(self) -> str:
        return report_edit_url(self.obligation, self.early_cycle.start) if self.early_cycle else ""


def reporting_cycles(obligation: Obligation, today: datetime.date) -> tuple[Cycle | None, Cycle | None]:
    """The cycle ``obligation`` reports on now and the one under way it may report early
    (see ``ObligationRow``)."""
    reportable = reportable_cycles(obligation, today)
    if not reportable:
        return None, None
    closed = [cycle for cycle in reportable if cycle.end < today]
    if not closed:
        return reportable[0], None
    early = reportable[0] if reportable[0] != closed[0] and obligation.ended_on is None else None
    return closed[0], early


@dataclass
class DirectiveGroup:
    directive: Directive
    rows: list[ObligationRow] = field(default_factory=list)


def unit_obligations(user: User) -> QuerySet[Obligation]:
    """The obligations of the units ``user`` works in (the "my unit" list, never the whole
    committee even for its overseers, who have the review list)."""
    return (
        obligation_queryset()
        .filter(visible_obligations_q(user, own_units_only=True))
        .order_by("-directive__issued_on", "directive_id", "unit__code", "practice__name", "pk")
    )


def obligations_of(ids: list[int]) -> list[Obligation]:
    """The obligations ``ids`` (a page of the unit's list, in its order) with what their rows
    show; the keys came through the user's scope (``unit_obligations``)."""
    return rows_by_key(obligation_queryset(), ids)


def obligation_rows(
    obligations: Sequence[Obligation], user: User, today: datetime.date | None = None
) -> list[DirectiveGroup]:
    """``obligations`` grouped by directive, each with its current cycle's report: one query
    for the reports of every row, whatever the number of rows."""
    from caicach.core.permissions import can

    today = today or clock.today()
    cycles = {obligation.pk: reporting_cycles(obligation, today) for obligation in obligations}
    wanted = Q(pk__in=[])
    for pk, pair in cycles.items():
        for cycle in pair:
            if cycle is not None:
                wanted |= Q(obligation_id=pk, period_start=cycle.start)
    reports = {
        (report.obligation_id, report.period_start): report
        for report in (AdoptionReport.objects.filter(wanted) if cycles else [])
    }
    settings_cache: dict[int, ReplicationSettings] = {}
    groups: dict[int, DirectiveGroup] = {}
    for obligation in obligations:
        cycle, early = cycles[obligation.pk]
        report = reports.get((obligation.pk, cycle.start)) if cycle else None
        due: datetime.date | None = None
        if cycle is not None:
            committee = obligation.directive.issuing_unit_id
            if committee not in settings_cache:
                settings_cache[committee] = settings_for(committee)
            due = report.due_on if report else report_due_on(cycle, settings_cache[committee])
        may_file = can(user, "adoption.file", obligation)
        group = groups.setdefault(obligation.directive_id, DirectiveGroup(directive=obligation.directive))
        group.rows.append(
            ObligationRow(
                obligation=obligation,
                cycle=cycle,
                due=due,
                report=report,
                late=due is not None and is_late(report, due, today),
                # An obligation handed on takes no new report, but one begun may be finished.
                can_file=cycle is not None
                and (report is not None or obligation.ended_on is None)
                and may_file,
                early_cycle=early if may_file else None,
                early_report=reports.get((obligation.pk, early.start)) if early else None,
            )
        )
    return list(groups.values())


# --- Home Affairs' review list ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilters:
    directive: Directive | None = None
    period_start: datetime.date | None = None
    status: str = ""


def reports_to_review(user: User, filters: ReviewFilters) -> QuerySet[AdoptionReport]:
    queryset = report_queryset().filter(reports_to_review_q(user))
    if filters.directive is not None:
        queryset = queryset.filter(obligation__directive=filters.directive)
    if filters.period_start is not None:
        queryset = queryset.filter(period_start=filters.period_start)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("-period_start", "obligation__directive_id", "obligation__unit__code", "pk")


class ReportToReview(NamedTuple):
    """A row of the review list, as plain values: what the table shows of a report."""

    pk: int
    url: str
    period: str
    unit_name: str
    practice_name: str
    directive_title: str
    adoption_status_label: str
    due_on: datetime.date
    status: str
    status_label: str
    sent_late: bool


def reports_to_review_rows(ids: list[int]) -> list[ReportToReview]:
    """The reports ``ids`` (a page of the review list, in its order) as the table shows them,
    kept until a write to a table they read commits (``kept_while_read``): fifty reports read
    with their obligation, unit, practice and directive as model rows cost a national
    officer's list 10 ms on each visit. The keys came through the user's scope."""

    def build() -> list[ReportToReview]:
        rows = AdoptionReport.objects.filter(pk__in=ids).values_list(
            "pk", "period_start", "period_end", "obligation__unit__short_name", "obligation__unit__name",
            "obligation__practice__name", "obligation__directive__title", "adoption_status", "due_on",
            "status", "is_late",
        )  # fmt: skip
        by_pk = {
            pk: ReportToReview(
                pk=pk,
                url=reverse("replication:report_detail", args=[pk]),
                period=period_label(start, end),
                unit_name=short_name or name,
                practice_name=practice,
                directive_title=directive,
                adoption_status_label=str(AdoptionStatus(adoption).label),
                due_on=due_on,
                status=status,
                status_label=str(AdoptionReportStatus(status).label),
                sent_late=late,
            )
            for pk, start, end, short_name, name, practice, directive, adoption, due_on, status, late in rows
        }
        return [by_pk[pk] for pk in ids if pk in by_pk]

    return kept_while_read("reports to review: a page", tuple(ids), build)


def review_directives(user: User) -> QuerySet[Directive]:
    """The directives the review list's filter offers: those with a report ``user`` reviews."""
    with_reports = AdoptionReport.objects.filter(obligation__directive_id=OuterRef("pk"))
    return (
        Directive.objects.filter(reviewed_directives_q(user))
        .filter(Exists(with_reports))
        .order_by("-issued_on", "-pk")
    )


def period_label(start: datetime.date, end: datetime.date) -> str:
    """A report's period as its cycle names it ("Quý II/2025"), whatever the cycle kind."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    kind = {1: "monthly", 3: "quarterly", 6: "half_yearly", 12: "yearly"}.get(months)
    cycle = cycle_of(start, kind) if kind else None
    if cycle is not None and cycle.start == start and cycle.end == end:
        return cycle.label
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"


def review_periods(user: User) -> list[tuple[datetime.date, str]]:
    """The cycles the review list's filter offers (the latest 40 with a report), kept
    between requests like every picker's options (``caicach.core.choices``): under the
    user's scope, not the scoped query's SQL, which cost more to compile than to run."""

    def read() -> list[tuple[datetime.date, datetime.date]]:
        return list(
            AdoptionReport.objects.filter(reports_to_review_q(user))
            .order_by("-period_start", "-period_end")
            .values_list("period_start", "period_end")
            .distinct()[:40]
        )

    rows = kept_while_read("review periods", scope_key(user), read)
    labels: dict[datetime.date, str] = {}
    for start, end in rows:
        labels.setdefault(start, period_label(start, end))
    return list(labels.items())


def visible_reports(user: User) -> QuerySet[AdoptionReport]:
    return report_queryset().filter(visible_reports_q(user))


# --- To-dos ---------------------------------------------------------------------------------------


def reports_to_send(user: User, limit: int) -> TodoEntry | None:
    """ "Báo cáo nhân rộng cần gửi": for the head and staff of obliged units, the reports of
    the last closed cycle not yet sent (missing, draft or returned), each with its due date
    and whether it has passed. One aggregate query over the obligations of the person's
    units (the cycle is the last closed one of each obligation's cycle kind). A report of an
    older cycle returned for completion is announced by its own notification."""
    units = filing_unit_ids(user)
    if not units:
        return None
    today = clock.today()
    kinds = {
        kind: cycle_of(today, kind).previous() for kind in ("monthly", "quarterly", "half_yearly", "yearly")
    }
    condition = Q(pk__in=[])
    for kind, cycle in kinds.items():
        by_kind = Q(assignment__reporting_cycle=kind) | Q(
            assignment__reporting_cycle="", directive__reporting_cycle=kind
        )
        # Correlated: each of the units' few obligations looks up its own reports; "NOT IN"
        # the obligations with a sent report read every report of the cycle in the country.
        sent = AdoptionReport.objects.filter(
            obligation=OuterRef("pk"), period_start=cycle.start, status=AdoptionReportStatus.SUBMITTED
        )
        condition |= (
            by_kind
            & Q(starts_on__lte=cycle.end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gte=cycle.start))
            & Q(~Exists(sent))
        )
    queryset = (
        obligation_queryset()
        .filter(unit_id__in=sorted(units))
        .filter(condition)
        .order_by("directive_id", "unit__code", "practice__name", "pk")
    )
    count, rows = count_and_first(queryset, limit)
    if not count:
        return None
    items = []
    committees: dict[int, ReplicationSettings] = {}
    for obligation in rows:
        cycle = kinds[cycle_kind(obligation)]
        committee = obligation.directive.issuing_unit_id
        if committee not in committees:
            committees[committee] = settings_for(committee)
        due = report_due_on(cycle, committees[committee])
        late = today > due
        items.append(
            TodoItem(
                label=_("%(practice)s — %(cycle)s")
                % {"practice": obligation.practice.name, "cycle": cycle.label},
                url=report_edit_url(obligation, cycle.start),
                detail=(
                    _("%(unit)s, hạn gửi đã qua: hết ngày %(day)s")
                    if late
                    else _("%(unit)s, hạn gửi: hết ngày %(day)s")
                )
                % {"unit": obligation.unit.short_name or obligation.unit.name, "day": f"{due:%d/%m/%Y}"},
                late=late,
            )
        )
    return TodoEntry(
        key="replication.reports_to_send",
        title=gettext_lazy("Báo cáo nhân rộng cần gửi"),
        count=count,
        items=items,
        more_url=reverse("replication:obligation_list"),
        late_count=sum(1 for item in items if item.late),
    )


def reports_awaiting_review(user: User, limit: int) -> TodoEntry | None:
    """ "Báo cáo nhân rộng cần xem xét": for Home Affairs, the reports sent in the current
    round (due in the last ``REVIEW_WINDOW_DAYS`` days or later), newest first."""
    from caicach.replication.adoption.rules import managed_reports_q

    scope = managed_reports_q(user)
    if scope is None:
        return None
    since = clock.today() - datetime.timedelta(days=REVIEW_WINDOW_DAYS)
    # Only the joins the lines show: with ``report_queryset``'s nine, planning the query
    # cost 12 ms on every national officer's home page, against 0.3 ms to run it.
    queryset = (
        AdoptionReport.objects.select_related(
            "obligation__unit", "obligation__practice", "obligation__assignment__directive"
        )
        .filter(scope, status=AdoptionReportStatus.SUBMITTED, due_on__gte=since)
        .order_by("-submitted_at", "-pk")
    )
    count, rows = count_and_first(queryset, limit)
    if not count:
        return None
    items = [
        TodoItem(
            label=str(report.obligation.practice),
            url=report.get_absolute_url(),
            detail=_("%(unit)s, %(cycle)s")
            % {
                "unit": report.obligation.unit.short_name or report.obligation.unit.name,
                "cycle": cycle_for(report.obligation, report.period_start).label,
            },
            late=report.is_late,
        )
        for report in rows
    ]
    return TodoEntry(
        key="replication.reports_to_review",
        title=gettext_lazy("Báo cáo nhân rộng cần xem xét"),
        count=count,
        items=items,
        more_url=reverse("replication:report_review_list") + "?tinh_trang=submitted",
    )


def unit_people(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active heads and staff of each unit (who files and is reminded), in one query."""
    from caicach.core.models import Membership
    from caicach.replication.rules import UNIT_ROLES

    people: dict[int, dict[int, User]] = {}
    for membership in (
        Membership.objects.filter(
            unit_id__in=sorted(set(unit_ids)), role__in=UNIT_ROLES, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    ):
        people.setdefault(membership.unit_id, {})[membership.user_id] = membership.user
    return {unit: list(users.values()) for unit, users in people.items()}
