"""KPIs of a work program (seed 001: "số lượng nội dung phải trình, đã
trình, đã ban hành, chưa trình; tỷ lệ nội dung đã trình, đã ban hành so với tổng số nội
dung phải trình").

Definitions — every figure on the KPI pages, in the exports and in the monthly summary
report follows these, and ``tests/workprogram/reports/test_kpi_recount.py`` recounts them from the
raw items in plain Python:

- **Period**: a month, a quarter or the whole year of the program (``Period``), always a
  run of whole months ``start``..``end`` (first days of months).
- **Due in the period** ("phải trình"): an item of the program whose *current*
  ``due_month`` lies within the period, whatever its status, except withdrawn items
  (``ItemStatus.WITHDRAWN``), which left the program. A postponed item counts in the
  month it is now due (``due_month``), not the month first planned
  (``original_due_month``); one postponed beyond the program's year is therefore due in
  no period of that year.
- **The day the figures are taken** (``today``): the current day on the KPI pages, the
  issue date on a monthly summary. Statuses are read as they stood that day through the
  items' dates, so a summary read again later still shows its month as it was: an item
  submitted or issued *after* that day counts as not yet submitted (not yet issued). On the
  current day this is simply the item's status.
- **Submitted** ("đã trình"): due in the period, status submitted or issued (an issued item
  was submitted first), and submitted on or before that day (``submitted_on``; an item
  without a recorded date counts on its status alone).
- **Issued** ("đã ban hành"): submitted as above, status issued, and issued on or before that
  day (``issued_on``, likewise).
- **Not submitted** ("chưa trình"): due minus submitted (planned or postponed items, and
  those submitted only after that day).
- **Overdue** ("quá hạn"): due in the period, not postponed, not submitted on that day, and
  its due month ended, plus the committee's grace days, before that day
  (``queries.overdue_q`` for planned items, the same test for items submitted later).
- **On time** ("đúng hạn"): submitted, with a submission date on or before the last day of
  its due month. A submitted item without a date is not on time: nothing shows it was.
- **Ratios**: submitted/due and issued/due; the **on-time rate** is on time/submitted.
  Percentages with one decimal, rounded half up; none ("—") when the denominator is 0.
- **Whose figures**: an item counts for its lead unit only (coordinating units do not
  answer for it). Who sees which items: the Office (within its jurisdiction) and
  administrators every item; anyone else the items their units lead and the items they
  supervise as a leader (``kpi_scope``).

Every aggregate is one SQL query with ``Count(filter=Q(...))``, so a page makes the same
number of queries for ten items or ten thousand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.models import Membership, Role
from caicach.core.months import add_months, first_of_month, overdue_threshold
from caicach.workprogram.models import (
    ItemStatus,
    MonthlyReportLine,
    ProgramItem,
    ReportStatus,
    WorkProgram,
)
from caicach.workprogram.programs.queries import is_overdue, overdue_q, settings_for

SUBMITTED_STATUSES = (ItemStatus.SUBMITTED, ItemStatus.ISSUED)
ROMAN_QUARTERS = ("I", "II", "III", "IV")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` in per cent with one decimal, rounded half up; None when
    there is nothing to divide by."""
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A run of whole months of one year: ``key`` is "y" (the year), "q1".."q4" or
    "m1".."m12"."""

    year: int
    key: str
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the last month

    @property
    def months(self) -> list[datetime.date]:
        months = []
        current = self.start
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months

    @property
    def kind(self) -> str:
        return {"y": "year", "q": "quarter", "m": "month", "t": "year_to_date"}[self.key[0]]

    @property
    def label(self) -> str:
        if self.key == "y":
            return _("Năm %(year)s") % {"year": self.year}
        if self.key.startswith("t"):
            return _("Từ đầu năm đến hết tháng %(month)s/%(year)s") % {
                "month": self.end.month,
                "year": self.year,
            }
        if self.key.startswith("q"):
            return _("Quý %(quarter)s/%(year)s") % {
                "quarter": ROMAN_QUARTERS[int(self.key[1:]) - 1],
                "year": self.year,
            }
        return _("Tháng %(month)s/%(year)s") % {"month": self.start.month, "year": self.year}

    @property
    def last_day(self) -> datetime.date:
        return add_months(self.end, 1) - datetime.timedelta(days=1)

    def q(self) -> Q:
        return Q(due_month__gte=self.start, due_month__lte=self.end)


def period_keys() -> list[str]:
    return ["y", *(f"q{n}" for n in range(1, 5)), *(f"m{n}" for n in range(1, 13))]


def period_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("y", gettext_lazy("Cả năm"))]
    choices += [
        (f"q{n}", gettext_lazy("Quý %(quarter)s") % {"quarter": ROMAN_QUARTERS[n - 1]}) for n in range(1, 5)
    ]
    choices += [(f"m{n}", gettext_lazy("Tháng %(month)s") % {"month": n}) for n in range(1, 13)]
    return choices


def make_period(year: int, key: str) -> Period:
    """The period ``key`` of ``year``; ValueError for an unknown key."""
    if key == "y":
        return Period(year, key, datetime.date(year, 1, 1), datetime.date(year, 12, 1))
    if len(key) >= 2 and key[0] in "qm" and key[1:].isdigit():
        number = int(key[1:])
        if key[0] == "q" and 1 <= number <= 4:
            start = datetime.date(year, 3 * number - 2, 1)
            return Period(year, key, start, add_months(start, 2))
        if key[0] == "m" and 1 <= number <= 12:
            start = datetime.date(year, number, 1)
            return Period(year, key, start, start)
    raise ValueError(f"Unknown period {key!r}")


def month_period(month: datetime.date) -> Period:
    return make_period(month.year, f"m{month.month}")


def year_to_date(month: datetime.date) -> Period:
    """January to ``month`` (the "lũy kế từ đầu năm" of the monthly summary)."""
    return Period(month.year, f"t{month.month}", datetime.date(month.year, 1, 1), month.replace(day=1))


# --- Whose items ----------------------------------------------------------------------------


# --- Figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    due: int = 0
    submitted: int = 0
    issued: int = 0
    overdue: int = 0
    on_time: int = 0

    @property
    def not_submitted(self) -> int:
        return self.due - self.submitted

    @property
    def submitted_percent(self) -> Decimal | None:
        return percent(self.submitted, self.due)

    @property
    def issued_percent(self) -> Decimal | None:
        return percent(self.issued, self.due)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.on_time, self.submitted)

    def add(self, other: Figures) -> None:
        self.due += other.due
        self.submitted += other.submitted
        self.issued += other.issued
        self.overdue += other.overdue
        self.on_time += other.on_time

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        return (self.due, self.submitted, self.issued, self.not_submitted, self.overdue, self.on_time)


@dataclass
class UnitFigures(Figures):
    unit_id: int = 0
    unit_name: str = ""
    unit_code: str = ""
    rank: int | None = None


@dataclass
class MonthFigures(Figures):
    month: datetime.date = field(default_factory=lambda: datetime.date(2000, 1, 1))


def submitted_q(today: datetime.date) -> Q:
    """Submitted on or before ``today`` (see the definitions above)."""
    return Q(status__in=SUBMITTED_STATUSES) & (Q(submitted_on__isnull=True) | Q(submitted_on__lte=today))


def issued_q(today: datetime.date) -> Q:
    return (
        submitted_q(today)
        & Q(status=ItemStatus.ISSUED)
        & (Q(issued_on__isnull=True) | Q(issued_on__lte=today))
    )


def not_submitted_q(today: datetime.date) -> Q:
    """Still to be submitted on ``today``: planned, or submitted only later."""
    return Q(status=ItemStatus.PLANNED) | Q(status__in=SUBMITTED_STATUSES, submitted_on__gt=today)


def overdue_on_q(today: datetime.date, grace_days: int) -> Q:
    """Overdue on ``today``: ``queries.overdue_q`` (planned items past their month and the
    grace days), and by the same test the items that were only submitted after ``today``."""
    threshold = overdue_threshold(today, grace_days)
    return overdue_q(today, grace_days) | Q(
        status__in=SUBMITTED_STATUSES, submitted_on__gt=today, due_month__lt=threshold
    )


def overdue_on(item: ProgramItem, today: datetime.date, grace_days: int) -> bool:
    """``overdue_on_q`` for one item in memory."""
    threshold = overdue_threshold(today, grace_days)
    later = item.status in SUBMITTED_STATUSES and item.submitted_on is not None and item.submitted_on > today
    return is_overdue(item, today, grace_days) or (later and item.due_month < threshold)


def _aggregates(today: datetime.date, grace_days: int) -> dict[str, Count]:
    """Count(filter=...) for each figure. "On time" compares the month of the submission
    with the due month in SQL (TruncMonth works alike on SQLite and PostgreSQL)."""
    submitted = submitted_q(today)
    return {
        "due": Count("pk"),
        "submitted": Count("pk", filter=submitted),
        "issued": Count("pk", filter=issued_q(today)),
        "overdue": Count("pk", filter=overdue_on_q(today, grace_days)),
        "on_time": Count(
            "pk",
            filter=submitted
            & Q(submitted_on__isnull=False)
            & Q(LessThanOrEqual(TruncMonth("submitted_on"), F("due_month"))),
        ),
    }


def due_items(program: WorkProgram, scope: Q) -> QuerySet[ProgramItem]:
    """The program's items that count at all (not withdrawn), within ``scope``."""
    return ProgramItem.objects.filter(program=program).exclude(status=ItemStatus.WITHDRAWN).filter(scope)


def grace_days_of(program: WorkProgram) -> int:
    return settings_for(program.issuing_unit_id).overdue_grace_days


def unit_figures(
    program: WorkProgram, period: Period, scope: Q, *, today: datetime.date, grace_days: int | None = None
) -> list[UnitFigures]:
    """One row per lead unit with items due in ``period``, ranked (``rank_units``). One
    query (two when ``grace_days`` must be read from the settings)."""
    grace = grace_days_of(program) if grace_days is None else grace_days
    rows = (
        due_items(program, scope)
        .filter(period.q())
        .order_by()
        .values("lead_unit_id", "lead_unit__name", "lead_unit__code")
        .annotate(**_aggregates(today, grace))
    )
    figures = [
        UnitFigures(
            unit_id=row["lead_unit_id"],
            unit_name=row["lead_unit__name"],
            unit_code=row["lead_unit__code"],
            due=row["due"],
            submitted=row["submitted"],
            issued=row["issued"],
            overdue=row["overdue"],
            on_time=row["on_time"],
        )
        for row in rows
    ]
    return rank_units(figures)


def rank_key(row: Figures) -> tuple[Decimal, Decimal, Decimal, int]:
    """Best first: the larger share submitted, then issued, then on time, then the fewer
    overdue items."""
    zero = Decimal(0)
    return (
        -(row.submitted_percent or zero),
        -(row.issued_percent or zero),
        -(row.on_time_percent or zero),
        row.overdue,
    )


def rank_units(rows: Iterable[UnitFigures]) -> list[UnitFigures]:
    """Sorted best first with a competition rank ("1, 2, 2, 4"): equal keys share a rank.
    A unit with nothing due is not ranked."""
    ranked = sorted(
        (row for row in rows if row.due), key=lambda row: (rank_key(row), row.unit_code, row.unit_id)
    )
    previous: tuple[Decimal, Decimal, Decimal, int] | None = None
    for position, row in enumerate(ranked, start=1):
        key = rank_key(row)
        row.rank = position if key != previous else ranked[position - 2].rank
        previous = key
    unranked = sorted((row for row in rows if not row.due), key=lambda row: row.unit_code)
    return ranked + unranked


def total_of(rows: Iterable[Figures]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row)
    return total


def month_figures(
    program: WorkProgram,
    scope: Q,
    *,
    today: datetime.date,
    unit_id: int | None = None,
    grace_days: int | None = None,
) -> list[MonthFigures]:
    """The twelve months of the program's year (a row for every month, zeros included),
    for the trend chart. One query (two when the grace days are read)."""
    grace = grace_days_of(program) if grace_days is None else grace_days
    year = make_period(program.year, "y")
    items = due_items(program, scope).filter(year.q())
    if unit_id is not None:
        items = items.filter(lead_unit_id=unit_id)
    found = {
        row["due_month"]: row
        for row in items.order_by().values("due_month").annotate(**_aggregates(today, grace))
    }
    months: list[MonthFigures] = []
    for month in year.months:
        row = found.get(month)
        months.append(
            MonthFigures(
                month=month,
                due=row["due"] if row else 0,
                submitted=row["submitted"] if row else 0,
                issued=row["issued"] if row else 0,
                overdue=row["overdue"] if row else 0,
                on_time=row["on_time"] if row else 0,
            )
        )
    return months


def cumulative(months: Sequence[MonthFigures]) -> list[Figures]:
    """Running totals from January (the "lũy kế" of the monthly summary)."""
    running = Figures()
    out: list[Figures] = []
    for month in months:
        running.add(month)
        out.append(
            Figures(
                **{
                    name: getattr(running, name)
                    for name in ("due", "submitted", "issued", "overdue", "on_time")
                }
            )
        )
    return out


# --- Unfinished items for the monthly meeting ----------------------------------------------------


@dataclass
class UnfinishedItem:
    item: ProgramItem
    is_overdue: bool
    delay_cause: str = ""
    remedy: str = ""
    expected_date: datetime.date | None = None
    reported_in: datetime.date | None = None  # the report's month the explanation comes from
    reported_status: str = ""  # LineStatus of that report's line
    progress_note: str = ""


@dataclass
class UnfinishedGroup:
    unit_id: int
    unit_name: str
    heads: list[str]
    items: list[UnfinishedItem]


def unfinished_items(
    program: WorkProgram, month: datetime.date, scope: Q, *, today: datetime.date
) -> QuerySet[ProgramItem]:
    """Items due by the end of ``month`` and not submitted on ``today``."""
    threshold = add_months(first_of_month(month), 1)
    return due_items(program, scope).filter(not_submitted_q(today), due_month__lt=threshold)


@dataclass(frozen=True)
class UnfinishedSummary:
    item_count: int
    overdue_count: int
    unit_count: int


def unfinished_summary(
    program: WorkProgram,
    month: datetime.date,
    scope: Q,
    *,
    today: datetime.date,
    grace_days: int | None = None,
) -> UnfinishedSummary:
    """The totals of the unfinished list, counted by the database (one query)."""
    grace = grace_days_of(program) if grace_days is None else grace_days
    totals = unfinished_items(program, month, scope, today=today).aggregate(
        items=Count("pk"),
        overdue=Count("pk", filter=overdue_on_q(today, grace)),
        units=Count("lead_unit", distinct=True),
    )
    return UnfinishedSummary(
        item_count=totals["items"], overdue_count=totals["overdue"], unit_count=totals["units"]
    )


def unfinished_unit_ids(
    program: WorkProgram, month: datetime.date, scope: Q, *, today: datetime.date
) -> QuerySet[ProgramItem, Any]:
    """The lead units of the unfinished list in its order (most unfinished items first),
    as ``lead_unit`` values: what the page paginates before loading any item."""
    return (
        unfinished_items(program, month, scope, today=today)
        .order_by()
        .values("lead_unit")
        .annotate(count=Count("pk"))
        .order_by("-count", "lead_unit__name", "lead_unit")
        .values_list("lead_unit", flat=True)
    )


def unfinished_by_unit(
    program: WorkProgram,
    month: datetime.date,
    scope: Q,
    *,
    today: datetime.date,
    grace_days: int | None = None,
    unit_ids: Iterable[int] | None = None,
) -> list[UnfinishedGroup]:
    """Items due by the end of ``month`` and not submitted on ``today``, grouped by lead unit with
    the name of its head, who explains them at the committee's monthly regular meeting
    (seed 001). Each item carries the explanation of the unit's latest submitted report up to
    that month. Three queries whatever the number of items; ``unit_ids`` narrows it to one
    page of lead units (``unfinished_unit_ids``)."""
    grace = grace_days_of(program) if grace_days is None else grace_days
    items_of = unfinished_items(program, month, scope, today=today)
    if unit_ids is not None:  # one page of the list: only these lead units
        items_of = items_of.filter(lead_unit_id__in=list(unit_ids))
    items = list(
        items_of.select_related("lead_unit", "supervising_leader").order_by(
            "lead_unit__code", "due_month", "position", "pk"
        )
    )
    lines = (
        MonthlyReportLine.objects.filter(
            item__in=[item.pk for item in items],
            report__status=ReportStatus.SUBMITTED,
            report__period__lte=month,
            report__submitted_at__date__lte=today,
        )
        .select_related("report")
        .order_by("item_id", "-report__period")
    )
    latest: dict[int, MonthlyReportLine] = {}
    for line in lines:
        latest.setdefault(line.item_id, line)
    unit_ids = {item.lead_unit_id for item in items}
    heads: dict[int, list[str]] = {}
    memberships = (
        Membership.objects.filter(
            unit_id__in=unit_ids, role=Role.UNIT_HEAD, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    for membership in memberships:
        heads.setdefault(membership.unit_id, []).append(str(membership.user))
    groups: dict[int, UnfinishedGroup] = {}
    for item in items:
        group = groups.get(item.lead_unit_id)
        if group is None:
            group = UnfinishedGroup(
                unit_id=item.lead_unit_id,
                unit_name=item.lead_unit.name,
                heads=heads.get(item.lead_unit_id, []),
                items=[],
            )
            groups[item.lead_unit_id] = group
        explained = latest.get(item.pk)
        group.items.append(
            UnfinishedItem(
                item=item,
                is_overdue=overdue_on(item, today, grace),
                delay_cause=explained.delay_cause if explained else "",
                remedy=explained.remedy if explained else "",
                expected_date=explained.expected_date if explained else None,
                reported_in=explained.report.period if explained else None,
                reported_status=explained.status if explained else "",
                progress_note=explained.progress_note if explained else "",
            )
        )
    return sorted(groups.values(), key=lambda group: (-len(group.items), group.unit_name))
