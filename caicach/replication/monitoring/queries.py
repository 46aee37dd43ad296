"""What Home Affairs follows: the unit × practice matrix and the laggards (seed 004, III.6:
"theo dõi, đôn đốc, kiểm tra … báo cáo … các cơ quan, đơn vị không triển khai thực hiện hoặc
triển khai chưa hiệu quả").

Both read the obligations in force (not handed to a successor) with their latest SUBMITTED
report — a report returned for completion, or still a draft, says nothing yet. Everything
is decided in the database, in one statement per page whatever the number of rows:

- a cell's freshness: its latest report is on the obligation's last closed cycle
  (``CURRENT``), on an older one (``OLD``), or there is none (``NEVER``);
- a laggard is an obligation (1) started before its last closed cycle ended with no
  submitted report on that cycle, or (2) without any report beyond "not started" although
  it began at least N months ago (the committee's ``laggard_not_started_months``; "N months
  ago" is ``add_months(today, -N)``), or (3) whose latest report says "stopped"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.choices import kept, kept_while_read
from caicach.core.models import ReformIndex, Unit, UnitKind, User
from caicach.core.months import add_months
from caicach.core.pagination import CappedPaginator, rows_by_key
from caicach.core.permissions import jurisdictions_of, scope_key, subtree_ids
from caicach.replication.cycles import Cycle, last_closed_cycle
from caicach.replication.models import (
    ADOPTED_STATUSES,
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    Directive,
    DirectiveStatus,
    Obligation,
    Practice,
    ReplicationSettings,
    ReplicationSummary,
    ReportingCycle,
)
from caicach.replication.monitoring.rules import monitored_obligations_q, visible_summaries_q

CURRENT = "current"
OLD = "old"
NEVER = "never"

# The unit groups the filters offer (by kind, as the directives assign them).
GROUPS: dict[str, tuple[str, ...]] = {
    "departments": (UnitKind.DEPARTMENT, UnitKind.OFFICE),
    "district_committees": (UnitKind.DISTRICT_COMMITTEE,),
    "commune_committees": (UnitKind.COMMUNE_COMMITTEE,),
}

UNITS_PER_PAGE = 50
LAGGARDS_PER_PAGE = 50
RATE_PRACTICES_PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    directive: Directive | None = None
    group: str = ""
    index: ReformIndex | None = None
    # A (legacy) district committee: its own units and everything under it.
    area: Unit | None = None

    def key(self) -> tuple[int | None, str, int | None, int | None]:
        """What the filters select, for a kept value's key."""
        return (
            self.directive.pk if self.directive else None,
            self.group,
            self.index.pk if self.index else None,
            self.area.pk if self.area else None,
        )


def _filtered_q(user: User | AnonymousUser, filters: Filters, prefix: str = "") -> Q:
    """The obligations of issued directives ``user`` follows, narrowed by ``filters``; with
    ``prefix``, on rows pointing at an obligation (its reports)."""
    found = monitored_obligations_q(user, prefix) & Q(
        **{f"{prefix}directive__status": DirectiveStatus.ISSUED}
    )
    if filters.directive is not None:
        found &= Q(**{f"{prefix}directive": filters.directive})
    if filters.group:
        found &= Q(**{f"{prefix}unit__kind__in": GROUPS[filters.group]})
    if filters.index is not None:
        found &= Q(**{f"{prefix}practice__indices": filters.index})
    if filters.area is not None:
        found &= Q(**{f"{prefix}unit_id__in": subtree_ids([filters.area.pk])})
    return found


def monitored_obligations(user: User | AnonymousUser, filters: Filters = Filters()) -> QuerySet[Obligation]:
    """The obligations in force the user follows, narrowed by ``filters``."""
    return Obligation.objects.filter(_filtered_q(user, filters), ended_on__isnull=True)


# The latest submitted report's columns, as the obligation keeps them (``last_submitted``).
_KEPT = {
    "adoption_status": "last_submitted_status",
    "period_start": "last_submitted_period",
    "pk": "last_submitted",
}
_OUTPUT: dict[str, type[Field[Any, Any]]] = {
    "adoption_status": CharField,
    "period_start": DateField,
    "pk": IntegerField,
}


def _latest(column: str, until: datetime.date | None) -> Case | F | NullIf:
    """A column of the obligation's latest submitted report — on a cycle starting by
    ``until``, when given. The obligation keeps its latest report's columns, so the database
    reads a column per row; only an obligation whose latest report is on a cycle after
    ``until`` (a past period's view) looks its older reports up."""
    kept = NullIf(F(_KEPT[column]), Value("")) if column == "adoption_status" else F(_KEPT[column])
    if until is None:
        return kept
    older = AdoptionReport.objects.filter(
        obligation=OuterRef("pk"), status=AdoptionReportStatus.SUBMITTED, period_start__lte=until
    )
    return Case(
        When(last_submitted_period__isnull=True, then=Value(None)),
        When(last_submitted_period__lte=until, then=kept),
        default=Subquery(older.order_by("-period_start").values(column)[:1]),
        output_field=_OUTPUT[column](),
    )


def with_latest(
    obligations: QuerySet[Obligation], until: datetime.date | None = None, *, detail: bool = True
) -> QuerySet[Obligation]:
    """Each obligation with its latest submitted report — on a cycle starting by ``until``,
    when given — and its reporting cycle (the assignment's, or the directive's):
    ``detail=False`` reads the report's status only (the summary's figures), ``True`` its
    cycle start and id too (the pages link to it)."""
    latest = {"latest_status": _latest("adoption_status", until)}
    if detail:
        latest |= {"latest_period": _latest("period_start", until), "latest_report": _latest("pk", until)}
    return obligations.annotate(
        **latest,
        cycle_kind=Coalesce(
            NullIf(F("assignment__reporting_cycle"), Value("")), F("directive__reporting_cycle")
        ),
    )


def _by_cycle(today: datetime.date, edge: str) -> Case:
    """The start (or end) of the last closed cycle of each obligation's own cycle kind."""
    return Case(
        *[
            When(cycle_kind=kind, then=Value(getattr(last_closed_cycle(today, kind), edge)))
            for kind in ReportingCycle.values
        ],
        output_field=DateField(),
    )


def _not_started_since(obligations: QuerySet[Obligation], today: datetime.date) -> Q:
    """Began at least N months before ``today``, N being each committee's setting (one query
    for the committees that set their own)."""
    custom = dict(ReplicationSettings.objects.values_list("unit_id", "laggard_not_started_months"))
    default = ReplicationSettings().laggard_not_started_months
    condition = Q(starts_on__lte=add_months(today, -default)) & ~Q(
        directive__issuing_unit_id__in=sorted(custom)
    )
    for committee_id, months in custom.items():
        condition |= Q(directive__issuing_unit_id=committee_id, starts_on__lte=add_months(today, -months))
    return condition


def with_lag(
    obligations: QuerySet[Obligation], today: datetime.date, *, detail: bool = True
) -> QuerySet[Obligation]:
    """``with_latest`` (as ``today`` saw it) plus the three laggard flags."""
    annotated = with_latest(obligations, until=today, detail=detail).annotate(
        last_start=_by_cycle(today, "start"), last_end=_by_cycle(today, "end")
    )
    on_last = AdoptionReport.objects.filter(
        obligation=OuterRef("pk"), status=AdoptionReportStatus.SUBMITTED, period_start=OuterRef("last_start")
    )
    # Sent on the last closed cycle: certainly when the latest sent report is on it, never
    # when that report is older (or there is none); looked up when a later cycle was sent.
    reported_last = Case(
        When(last_submitted_period=F("last_start"), then=Value(True)),
        When(last_submitted_period__gt=F("last_start"), then=Exists(on_last)),
        default=Value(False),
        output_field=BooleanField(),
    )
    not_started = Q(latest_status__isnull=True) | Q(latest_status=AdoptionStatus.NOT_STARTED)
    return annotated.annotate(
        reported_last=reported_last,
    ).annotate(
        missing_last=ExpressionWrapper(
            Q(starts_on__lte=F("last_end"), reported_last=False), output_field=BooleanField()
        ),
        not_started_long=ExpressionWrapper(
            not_started & _not_started_since(obligations, today), output_field=BooleanField()
        ),
        stopped=ExpressionWrapper(Q(latest_status=AdoptionStatus.STOPPED), output_field=BooleanField()),
    )


def laggards(user: User | AnonymousUser, filters: Filters, today: datetime.date) -> QuerySet[Obligation]:
    """The laggard obligations, unit by unit, each with its flags."""
    return laggards_among(monitored_obligations(user, filters), today)


def laggards_among(
    obligations: QuerySet[Obligation], today: datetime.date, *, detail: bool = True
) -> QuerySet[Obligation]:
    return (
        with_lag(obligations, today, detail=detail)
        .filter(Q(missing_last=True) | Q(not_started_long=True) | Q(stopped=True))
        .select_related("unit", "practice", "directive")
        .order_by("unit__code", "practice__name", "pk")
    )


def laggard_page_rows(laggards: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """What the laggards page shows of each (``cell_of`` and ``reasons`` read annotations):
    not the practices' and directives' long texts, 50 of each a page."""
    return laggards.only("role", "unit__name", "practice__name", "directive__title")


def laggard_keys(user: User | AnonymousUser, filters: Filters, today: datetime.date) -> tuple[list[int], int]:
    """The keys of ``laggards(user, filters, today)`` in their order, and the number of their
    units: one pass over the scope's obligations (a national officer's are the country's,
    0.1 s), kept until a write to a table it reads commits, so the next page or the same page
    again reads them from the cache — under the scope and the filters, not the annotated
    query's SQL, which cost 5 ms to compile only to find its key."""

    def build() -> tuple[list[int], int]:
        found = list(laggards(user, filters, today).values_list("pk", "unit_id"))
        return [pk for pk, _unit in found], len({unit for _pk, unit in found})

    return kept_while_read("laggards: keys and units", (scope_key(user), filters.key(), today), build)


class LaggardRow(NamedTuple):
    """A row of the laggards page, as plain values (kept: ``laggard_page``)."""

    unit_name: str
    practice_name: str
    directive_title: str
    latest_report: int | None
    latest_period: datetime.date | None
    status_label: str
    reasons: tuple[str, ...]


def laggard_page(
    user: User | AnonymousUser, filters: Filters, today: datetime.date, keys: list[int]
) -> list[LaggardRow]:
    """The laggards ``keys`` (a page of ``laggard_keys``) as the page shows them, kept like
    the keys: reading 50 of them by key compiled the laggards' annotated query (the lag
    flags, each committee's own "not started" delay), 10 ms, on every visit."""

    def build() -> list[LaggardRow]:
        return [
            LaggardRow(
                obligation.unit.name,
                obligation.practice.name,
                obligation.directive.title,
                getattr(obligation, "latest_report", None),
                getattr(obligation, "latest_period", None),
                str(cell_of(obligation, today).label),
                tuple(reasons(obligation)),
            )
            for obligation in rows_by_key(laggard_page_rows(laggards(user, filters, today)), keys)
        ]

    return kept_while_read("laggards: a page", (scope_key(user), filters.key(), today, tuple(keys)), build)


def reasons(obligation: Obligation) -> list[str]:
    """Why a laggard is one, in words (several reasons may hold)."""
    found: list[str] = []
    if getattr(obligation, "missing_last", False):
        found.append(_("Không báo cáo kỳ vừa qua"))
    if getattr(obligation, "not_started_long", False):
        found.append(_("Chưa triển khai sau thời gian quy định"))
    if getattr(obligation, "stopped", False):
        found.append(_("Đã dừng triển khai"))
    return found


# --- The matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    status: str | None
    label: str
    freshness: str
    period: datetime.date | None
    report_id: int | None
    role: str


class UnitShown(NamedTuple):
    """A unit as a row of the matrix names it."""

    pk: int
    name: str
    kind: str


class PracticeShown(NamedTuple):
    """A practice as a column of the matrix names it."""

    pk: int
    name: str


@dataclass
class MatrixRow:
    unit: UnitShown
    cells: list[Cell | None] = field(default_factory=list)


@dataclass
class Matrix:
    practices: list[PracticeShown]
    rows: list[MatrixRow]
    page: Page[UnitShown]


def freshness(obligation: Obligation, today: datetime.date) -> str:
    return _freshness(getattr(obligation, "latest_period", None), obligation.cycle_kind, today)  # type: ignore[attr-defined]


def _freshness(latest: datetime.date | None, cycle_kind: str, today: datetime.date) -> str:
    if latest is None:
        return NEVER
    return CURRENT if latest >= last_closed_cycle(today, cycle_kind).start else OLD


def cell_of(obligation: Obligation, today: datetime.date) -> Cell:
    return _cell(
        getattr(obligation, "latest_status", None),
        getattr(obligation, "latest_period", None),
        getattr(obligation, "latest_report", None),
        obligation.role,
        obligation.cycle_kind,  # type: ignore[attr-defined]
        today,
    )


def _cell(
    status: str | None,
    period: datetime.date | None,
    report_id: int | None,
    role: str,
    cycle_kind: str,
    today: datetime.date,
) -> Cell:
    return Cell(
        status=status,
        label=str(AdoptionStatus(status).label) if status else _("Chưa báo cáo"),
        freshness=_freshness(period, cycle_kind, today),
        period=period,
        report_id=report_id,
        role=role,
    )


def _newer(a: Cell, b: Cell) -> Cell:
    """Of a unit's two obligations on one practice (two assignments), the latest word."""
    if a.period is None:
        return b
    if b.period is None:
        return a
    return b if b.period > a.period else a


def matrix(
    user: User | AnonymousUser, filters: Filters, today: datetime.date, page_number: str | int | None
) -> Matrix:
    """Units (a page of them) × the practices they are obliged to apply or study: the
    columns are the page's practices (a country follows hundreds of practices, a page of
    units a few of them).

    The page is plain values (names, cells), kept until a write to a table it read commits
    (``kept_while_read``): a country's communes cost 40 ms a visit to read again (the page's
    units, its practices and some 500 obligations with their latest report)."""
    obligations = monitored_obligations(user, filters)
    units = (
        Unit.objects.filter(pk__in=obligations.values("unit_id"))
        .order_by("code")
        .values_list("pk", "name", "kind")
    )

    def build() -> tuple[list[PracticeShown], list[MatrixRow], int, int]:
        # The units are counted once, and kept (a country's: 10 ms a page).
        paginator = CappedPaginator(units, UNITS_PER_PAGE)
        page = paginator.get_page(page_number)
        shown = [UnitShown(*unit) for unit in page.object_list]
        on_page = obligations.filter(unit_id__in=[unit.pk for unit in shown])
        practices = [
            PracticeShown(*practice)
            for practice in Practice.objects.filter(pk__in=on_page.values("practice_id"))
            .order_by("name", "pk")
            .values_list("pk", "name")
        ]
        column = {practice.pk: index for index, practice in enumerate(practices)}
        rows = {unit.pk: MatrixRow(unit=unit, cells=[None] * len(practices)) for unit in shown}
        annotated: QuerySet[Any] = with_latest(on_page, until=today)
        latest = annotated.values_list(
            "unit_id", "practice_id", "latest_status", "latest_period", "latest_report", "role", "cycle_kind"
        )
        for unit_id, practice_id, status, period, report_id, role, cycle_kind in latest:
            row = rows[unit_id]
            index = column[practice_id]
            found = _cell(status, period, report_id, role, cycle_kind, today)
            current = row.cells[index]
            row.cells[index] = found if current is None else _newer(current, found)
        return practices, list(rows.values()), page.number, paginator.found

    key = (scope_key(user), filters.key(), today, str(page_number), UNITS_PER_PAGE)
    practices, rows, number, found = kept_while_read("replication matrix: a page", key, build)
    # The page again from what was kept: its number and the count, without a statement.
    page: Page[UnitShown] = Page(
        [row.unit for row in rows], number, CappedPaginator(units, UNITS_PER_PAGE, found=found)
    )
    return Matrix(practices=practices, rows=rows, page=page)


# --- Filter choices ---------------------------------------------------------------------------


def directive_choices(user: User | AnonymousUser) -> QuerySet[Directive]:
    return Directive.objects.filter(
        pk__in=Obligation.objects.filter(monitored_obligations_q(user)).values("directive_id")
    ).order_by("-issued_on", "-pk")


def index_choices(user: User | AnonymousUser) -> QuerySet[ReformIndex]:
    return ReformIndex.objects.filter(
        practices__in=Obligation.objects.filter(monitored_obligations_q(user)).values("practice_id")
    ).distinct()


def area_choices(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The legacy district committees holding obliged units the user follows."""
    obliged = Obligation.objects.filter(monitored_obligations_q(user)).values("unit_id")
    parents = Unit.objects.filter(pk__in=obliged).values("parent_id")
    return Unit.objects.filter(
        Q(pk__in=obliged) | Q(pk__in=parents), kind=UnitKind.DISTRICT_COMMITTEE
    ).order_by("name")


# --- The periodic summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeFigures:
    practice: Practice
    obliged: int
    reported: int
    adopted: int

    @property
    def rate(self) -> int | None:
        """Per cent of the obliged units that apply it (None: nobody obliged)."""
        return round(100 * self.adopted / self.obliged) if self.obliged else None


class Laggard(NamedTuple):
    """A laggard as the summary names it: plain values, kept with the figures (the
    obligation's annotated query cost more to compile than to run, on every visit)."""

    obligation_id: int
    unit_id: int
    unit_name: str
    practice_name: str
    missing_last: bool
    not_started_long: bool
    stopped: bool
    latest_status: str | None


@dataclass
class SummaryData:
    committee: Unit
    figures: list[PracticeFigures]
    laggards: list[Laggard]  # all of them, or the first ``laggard_limit``
    laggard_count: int
    units_obliged: int
    units_reporting: int


def committee_of(unit: Unit) -> Unit:
    """The committee a Home Affairs unit answers to (itself when it is one)."""
    committee_id = jurisdictions_of([unit.pk]).values_list("ancestor_id", flat=True).first()
    return Unit.objects.get(pk=committee_id) if committee_id is not None else unit


def summary_data(summary: ReplicationSummary, *, laggard_limit: int | None = None) -> SummaryData:
    """What the summary reports for its period, as its last day saw it: per practice, the
    units obliged, those that reported in the period and those applying it; the units that
    do not implement or implement poorly. A fixed number of queries whatever the rows."""
    committee = committee_of(summary.issuing_unit)
    start, end = summary.period_start, summary.period_end

    def counted() -> tuple[list[dict[str, Any]], dict[str, int], list[Laggard], int]:
        obligations = Obligation.objects.filter(
            directive__issuing_unit=committee,
            directive__status=DirectiveStatus.ISSUED,
            starts_on__lte=end,
        ).exclude(ended_on__lt=start)
        if summary.directive_id is not None:
            obligations = obligations.filter(directive_id=summary.directive_id)
        reported = AdoptionReport.objects.filter(
            obligation=OuterRef("pk"),
            status=AdoptionReportStatus.SUBMITTED,
            period_start__gte=start,
            period_start__lte=end,
        )
        # Counted by the database, practice by practice: a country's committee obliges tens
        # of thousands of units, whose rows were read one by one (0.2 s).
        annotated = with_latest(obligations, until=end, detail=False).annotate(
            reported_in_period=Exists(reported)
        )
        was_reported = Q(reported_in_period=True)
        per_practice = (
            annotated.order_by()
            .values("practice_id")
            .annotate(
                obliged=Count("pk"),
                in_period=Count("pk", filter=was_reported),
                adopted=Count("pk", filter=Q(latest_status__in=ADOPTED_STATUSES)),
            )
        )
        units = annotated.order_by().aggregate(
            obliged=Count("unit_id", distinct=True),
            reporting=Count("unit_id", distinct=True, filter=was_reported),
        )
        # The document lists every laggard; a page shows the first few and the count.
        lagging = laggards_among(obligations, end + datetime.timedelta(days=1), detail=False)
        # The stubs do not see the flags, annotations of ``with_lag``.
        rows = lagging.values_list(  # type: ignore[misc]
            "pk", "unit_id", "unit__name", "practice__name", "missing_last", "not_started_long", "stopped",
            "latest_status",
        )  # fmt: skip
        shown = [
            # A flag compared with a missing report is NULL: said False.
            Laggard(pk, unit, unit_name, name, bool(missing), bool(idle), bool(stopped), status)
            for pk, unit, unit_name, name, missing, idle, stopped, status in (
                rows if laggard_limit is None else rows[:laggard_limit]
            )
        ]
        total = len(shown) if laggard_limit is None else lagging.count()
        return list(per_practice), units, shown, total

    # Kept while what it read is unchanged (``caicach.core.choices.kept_while_read``): the
    # page of a national summary read the country's obligations four times on every visit,
    # and compiling its annotated queries only to key them cost more than the page's rest.
    # What the statements take besides the tables they read is the key.
    counts, units, lagging, lagging_count = kept_while_read(
        "replication summary",
        (committee.pk, start, end, summary.directive_id, laggard_limit),
        counted,
    )
    practices = Practice.objects.in_bulk([row["practice_id"] for row in counts])
    figures = sorted(
        (
            PracticeFigures(
                practice=practices[row["practice_id"]],
                obliged=row["obliged"],
                reported=row["in_period"],
                adopted=row["adopted"],
            )
            for row in counts
        ),
        key=lambda figure: figure.practice.name,
    )
    return SummaryData(
        committee=committee,
        figures=figures,
        laggards=lagging,
        laggard_count=lagging_count,
        units_obliged=units["obliged"],
        units_reporting=units["reporting"],
    )


def summaries_for(user: User | AnonymousUser) -> QuerySet[ReplicationSummary]:
    return (
        ReplicationSummary.objects.filter(visible_summaries_q(user))
        .select_related("issuing_unit", "directive", "registered_document")
        .order_by("-period_end", "-pk")
    )


# --- Adoption rates over time -------------------------------------------------------------------

RATE_CYCLES = 6  # quarters shown


class Rate(NamedTuple):
    # A tuple: a country's rates are thousands of them, kept in the cache (``kept``) and read
    # back on every request; a tuple unpickles several times faster than a dataclass.
    obliged: int
    adopted: int

    @property
    def percent(self) -> int:
        return round(100 * self.adopted / self.obliged) if self.obliged else 0


_RATE_CELL = '<td class="num">{}%<div class="muted small">{}/{}</div></td>'
_NO_RATE_CELL = '<td class="num">—</td>'


@dataclass
class RateRow:
    label: str
    rates: list[Rate | None]

    def cells(self) -> SafeString:
        """The row's cells, written here: a page of 50 practices has 300 of them, which cost
        the template engine 15 ms."""
        return mark_safe(  # integers and fixed markup
            "".join(
                _RATE_CELL.format(rate.percent, rate.adopted, rate.obliged) if rate else _NO_RATE_CELL
                for rate in self.rates
            )
        )


@dataclass
class Rates:
    cycles: list[Cycle]
    practices: list[RateRow]
    groups: list[RateRow]


GROUP_LABELS = {
    "departments": gettext_lazy("Các sở, ban, ngành tỉnh"),
    "district_committees": gettext_lazy("UBND cấp huyện (cũ)"),
    "commune_committees": gettext_lazy("UBND cấp xã"),
}


def _group_of(kind: str) -> str | None:
    return next((group for group, kinds in GROUPS.items() if kind in kinds), None)


def _in_force(cycle: Cycle, prefix: str = "") -> Q:
    """Obligations in force during some of the cycle (begun by its end, not ended before it)."""
    return Q(**{f"{prefix}starts_on__lte": cycle.end}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": cycle.start})
    )


def adoption_rates(user: User | AnonymousUser, filters: Filters, today: datetime.date) -> Rates:
    """Per closed quarter, the share of the units obliged then whose latest report by that
    quarter says applied or applied widely, per practice and per unit group. Scope-wide (a
    national officer's cover every obligation of the country): kept until a write to a
    table they read commits (``caicach.core.choices.kept``), under the scope and filters'
    obligations (their SQL, not the costlier grouped statements') and the quarters."""
    last = last_closed_cycle(today, ReportingCycle.QUARTERLY)
    cycles = [last]
    while len(cycles) < RATE_CYCLES:
        cycles.insert(0, cycles[0].previous())
    base = Obligation.objects.filter(_filtered_q(user, filters)).values("pk")
    return kept(
        [base],
        lambda: _rates(user, filters, cycles),
        f"adoption rates {cycles[0].start} {last.end}",
        reads=[AdoptionReport, Practice, Unit],
    )


def _rates(user: User | AnonymousUser, filters: Filters, cycles: list[Cycle]) -> Rates:
    """Two grouped statements for all the quarters, whatever the number of obligations: one
    counts the obligations in force in each quarter, the other the sent reports that were
    each one's latest word at the quarter's end (begun by then, superseded after it, if at
    all) and say it is applied."""
    last = cycles[-1]
    base = Obligation.objects.filter(_filtered_q(user, filters))
    obliged = (
        base.order_by()
        .values("practice_id", "unit__kind")
        .annotate(**{f"q{index}": Count("pk", filter=_in_force(cycle)) for index, cycle in enumerate(cycles)})
    )
    latest_word = {
        f"q{index}": Count(
            "pk",
            filter=_in_force(cycle, "obligation__")
            & Q(period_start__lte=cycle.end)
            & (Q(superseded_from__isnull=True) | Q(superseded_from__gt=cycle.end)),
        )
        for index, cycle in enumerate(cycles)
    }
    applied = (
        # The reports are filtered on their own join to the obligations: ``obligation__in``
        # (the obligations' ids) made the planner look up each obligation's reports in turn.
        AdoptionReport.objects.filter(
            _filtered_q(user, filters, "obligation__"),
            status=AdoptionReportStatus.SUBMITTED,
            adoption_status__in=ADOPTED_STATUSES,
            period_start__lte=last.end,
        )
        .order_by()
        .values("obligation__practice_id", "obligation__unit__kind")
        .annotate(**latest_word)
    )
    done = {(row["obligation__practice_id"], row["obligation__unit__kind"]): row for row in applied}
    per_practice: dict[int, list[Rate | None]] = {}
    per_group: dict[str, list[Rate | None]] = {}

    def add(rates: dict[Any, list[Rate | None]], key: Any, index: int, total: int, adopted: int) -> None:
        row = rates.setdefault(key, [None] * len(cycles))
        known = row[index]
        row[index] = Rate((known.obliged if known else 0) + total, (known.adopted if known else 0) + adopted)

    for row in obliged:
        reported = done.get((row["practice_id"], row["unit__kind"]), {})
        group = _group_of(row["unit__kind"])
        for index in range(len(cycles)):
            total = row[f"q{index}"]
            if not total:
                continue
            adopted = reported.get(f"q{index}", 0)
            add(per_practice, row["practice_id"], index, total, adopted)
            if group is not None:
                add(per_group, group, index, total, adopted)
    names = dict(Practice.objects.filter(pk__in=list(per_practice)).values_list("pk", "name"))
    return Rates(
        cycles=cycles,
        practices=sorted(
            (RateRow(names[pk], rates) for pk, rates in per_practice.items()), key=lambda r: r.label
        ),
        groups=[
            RateRow(str(GROUP_LABELS[group]), per_group[group]) for group in GROUPS if group in per_group
        ],
    )


@dataclass(frozen=True)
class ChartLine:
    css: str
    label: str
    points: str  # "x,y x,y …" for <polyline>


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[tuple[float, str]]
    labels: list[tuple[float, str]]
    lines: list[ChartLine]


def rate_chart(rates: Rates) -> RateChart:
    """The groups' adoption rates per quarter as lines (server-side SVG geometry)."""
    width, height, left, right, top, bottom = 760, 260, 44, 44, 16, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    step = plot_width / max(len(rates.cycles) - 1, 1)

    def y(percent: float) -> float:
        return round(top + plot_height * (1 - percent / 100), 1)

    lines = [
        ChartLine(
            css=f"chart-group-{index}",
            label=row.label,
            points=" ".join(
                f"{round(left + position * step, 1)},{y(rate.percent)}"
                for position, rate in enumerate(row.rates)
                if rate is not None
            ),
        )
        for index, row in enumerate(rates.groups)
    ]
    return RateChart(
        width=width,
        height=height,
        left=left,
        right=width - right,
        top=top,
        bottom=height - bottom,
        ticks=[(y(percent), f"{percent}%") for percent in (0, 25, 50, 75, 100)],
        labels=[
            (round(left + position * step, 1), cycle.label) for position, cycle in enumerate(rates.cycles)
        ],
        lines=lines,
    )
