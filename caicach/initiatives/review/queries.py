"""Reads of the council's work: members and their progress, who sees which sheets, and the
aggregates once the round is closed (computed by the database: counts, sums, minimum and
maximum; the mean is sum / count rounded half up to two decimals, the figure everyone sees
and the one compared with the pass mark).

Scores are sealed while the round is open: ``dossier_aggregates`` returns nothing then, and
``visible_assignments`` — the database twin of the ``ReviewAssignment`` "view" rule — gives a
member their own sheets only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, TextField
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.choices import kept, kept_while_read
from caicach.core.models import User
from caicach.core.pagination import page_again
from caicach.core.permissions import can, principal, scope_key
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    Criterion,
    Initiative,
    InitiativeStatus,
    Recognition,
    ReviewAssignment,
    ReviewScore,
    RoundStatus,
    Rubric,
    quantize,
)
from caicach.initiatives.review.rules import to_score_by


def _members() -> QuerySet[CouncilMember]:
    return CouncilMember.objects.select_related("user__unit").order_by("position", "pk")


def councils_with_relations() -> QuerySet[Council]:
    """Councils with their campaign and members (the rules read the user's seat from them)."""
    return Council.objects.select_related(
        "campaign__issuing_unit__parent",
        "campaign__receiving_unit",
        "campaign__rubric",
        "minutes",
        "round_closed_by",
    ).prefetch_related(Prefetch("members", queryset=_members()))


def council_members(council: Council) -> list[CouncilMember]:
    """The members in order (from the prefetch when the council came with it)."""
    if "members" in getattr(council, "_prefetched_objects_cache", {}):
        return list(council.members.all())
    return list(_members().filter(council=council))


def rubric_with_criteria(rubric_id: int | None) -> Rubric | None:
    if rubric_id is None:
        return None
    return (
        Rubric.objects.filter(pk=rubric_id)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.prefetch_related("bands")))
        .first()
    )


def rubrics_list() -> QuerySet[Rubric]:
    """Rubrics with their criteria count, total points and how many campaigns use them (the
    sums in subqueries: joining both relations at once would multiply the total)."""
    per_rubric = Criterion.objects.filter(rubric=OuterRef("pk")).order_by().values("rubric")
    return Rubric.objects.annotate(
        criteria_count=Subquery(per_rubric.annotate(n=Count("pk")).values("n")),
        total_points=Subquery(per_rubric.annotate(s=Sum("max_points")).values("s")),
        campaigns_count=Subquery(
            Campaign.objects.filter(rubric=OuterRef("pk"))
            .order_by()
            .values("rubric")
            .annotate(n=Count("pk"))
            .values("n")
        ),
    ).order_by("name", "pk")


# --- Progress (counts only, never scores) ----------------------------------------------------


@dataclass(frozen=True)
class MemberProgress:
    member: CouncilMember
    assigned: int  # dossiers the member must score (excluded ones not counted)
    submitted: int
    excluded: int

    @property
    def missing(self) -> int:
        return self.assigned - self.submitted


def member_progress(council: Council) -> list[MemberProgress]:
    """Per member: dossiers to score, sheets submitted, dossiers excluded from. One query."""
    scoring = Q(assignments__excluded=False)
    rows = (
        CouncilMember.objects.filter(council=council)
        .select_related("user__unit")
        .annotate(
            n_assigned=Count("assignments", filter=scoring),
            n_submitted=Count("assignments", filter=scoring & Q(assignments__submitted_at__isnull=False)),
            n_excluded=Count("assignments", filter=Q(assignments__excluded=True)),
        )
        .order_by("position", "pk")
    )
    return [
        MemberProgress(
            member=row,
            assigned=row.n_assigned,
            submitted=row.n_submitted,
            excluded=row.n_excluded,
        )
        for row in rows
    ]


ASSIGNMENTS_PAGE_SIZE = 50


class AssignedSheet(NamedTuple):
    """One member's sheet of a dossier as the assignment table shows it (status only)."""

    member_name: str
    badge_class: str
    badge_label: str
    exclusion_reason: str


class AssignedDossier(NamedTuple):
    """A row of the assignment table: the dossier and its sheets, as plain values."""

    pk: int
    title: str
    unit_name: str
    status_label: str
    sheets: tuple[AssignedSheet, ...]


def assignment_table(council: Council, page: int | str | None = 1) -> Page[AssignedDossier]:
    """Page ``page`` of the assigned dossiers (by title) with their assignments (status
    only: submitted or not, excluded and why), for those who run the council. A national
    council assigns thousands of dossiers: the page reads its fifty and their sheets."""
    dossiers = (
        Initiative.objects.filter(review_assignments__member__council=council)
        .distinct()
        .order_by("title", "pk")
        .values_list("pk", flat=True)
    )
    # Counting and sorting the council's distinct dossiers through their sheets is most of
    # the page's database time (23 ms nationally): their keys are kept (``kept``) until a
    # sheet or a dossier changes, and each page is cut from them.
    keys = kept([dossiers], lambda: list(dossiers), "council's dossiers by title")
    ids_page = Paginator(keys, ASSIGNMENTS_PAGE_SIZE).get_page(page)
    shown = list(ids_page.object_list)
    # The page's rows as plain values, kept likewise: fifty dossiers with seven sheets each
    # were some 800 model rows and as many translated badges to build on every visit.
    rows = kept_while_read(
        "council's assignments: a page", (council.pk, tuple(shown)), lambda: _assigned(council, shown)
    )
    return Page(rows, ids_page.number, ids_page.paginator)  # type: ignore[arg-type]


def _assigned(council: Council, ids: list[int]) -> list[AssignedDossier]:
    rows = (
        ReviewAssignment.objects.filter(member__council=council, initiative_id__in=ids)
        .order_by("initiative__title", "initiative_id", "member__position", "member_id")
        .values_list(
            "excluded",
            "exclusion_reason",
            "submitted_at",
            "initiative_id",
            "initiative__title",
            "initiative__status",
            "initiative__unit__name",
            "member__user__full_name",
            "member__user__username",
        )
    )
    statuses = dict(InitiativeStatus.choices)
    badges = {
        "excluded": ("badge", _("không chấm")),
        "submitted": ("badge badge-ok", _("đã nộp")),
        "open": ("badge badge-warn", _("chưa nộp")),
    }
    table: dict[int, tuple[tuple[int, str, str, str], list[AssignedSheet]]] = {}
    for excluded, reason, submitted_at, pk, title, status, unit_name, full_name, username in rows:
        state = "excluded" if excluded else "submitted" if submitted_at else "open"
        badge_class, badge_label = badges[state]
        sheet = AssignedSheet(full_name or username, badge_class, badge_label, reason if excluded else "")
        table.setdefault(pk, ((pk, title, unit_name, str(statuses.get(status, status))), []))[1].append(sheet)
    return [AssignedDossier(*dossier, sheets=tuple(sheets)) for dossier, sheets in table.values()]


def my_assignments(user: User, council: Council) -> list[ReviewAssignment]:
    """The member's own assignments in this council (with their own totals)."""
    return list(
        ReviewAssignment.objects.filter(member__council=council, member__user=user)
        .select_related("initiative__unit")
        .order_by("initiative__title", "initiative_id")
    )


def assignments_of(user: User) -> QuerySet[ReviewAssignment]:
    """Every dossier given to ``user`` in any council, newest council first."""
    return (
        ReviewAssignment.objects.filter(member__user=user)
        .select_related("initiative__unit", "member__council__campaign")
        .order_by("-member__council__created_at", "-member__council_id", "initiative__title", "initiative_id")
    )


def assignable_dossiers(campaign: Campaign) -> QuerySet[Initiative]:
    """Dossiers that may be given to the council: accepted, or already in review (to add a
    member who joined later)."""
    return (
        Initiative.objects.filter(
            campaign=campaign, status__in=(InitiativeStatus.ACCEPTED, InitiativeStatus.IN_REVIEW)
        )
        .select_related("unit")
        .order_by("title", "pk")
    )


# --- Who sees which sheets --------------------------------------------------------------------


def visible_assignments(user: User | AnonymousUser, council: Council) -> QuerySet[ReviewAssignment]:
    """The sheets of ``council`` that ``user`` may read (see ``review.rules._view_review``):
    their own; after the round is closed, everyone's for the council's managers, and for its
    members those of the dossiers they were not excluded from."""
    who = principal(user)
    sheets = ReviewAssignment.objects.filter(member__council=council).select_related(
        "member__user", "initiative"
    )
    if who is None:
        return sheets.none()
    own = Q(member__user_id=who.user.pk)
    if not can(user, "results", council):
        return sheets.filter(own)
    if can(user, "change", council):
        return sheets
    barred = ReviewAssignment.objects.filter(member__user_id=who.user.pk, excluded=True).values(
        "initiative_id"
    )
    return sheets.filter(own | ~Q(initiative_id__in=barred))


class SheetTotal(NamedTuple):
    """A sent sheet as the results list names it: who scored, and the total."""

    pk: int
    member_name: str
    total: Decimal | None


def sheet_totals(
    user: User | AnonymousUser, council: Council, initiative_ids: list[int]
) -> dict[int, list[SheetTotal]]:
    """The sent sheets ``user`` may read of the dossiers ``initiative_ids``, by dossier: their
    member and total, not each sheet's dossier again (whose texts and dates cost more to read
    than the whole rest of the results page), nor model rows (five a dossier, 50 dossiers)."""
    rows = (
        visible_assignments(user, council)
        .filter(excluded=False, submitted_at__isnull=False, initiative_id__in=initiative_ids)
        .select_related(None)
        .order_by("initiative_id", "member_id")  # as the sheets are listed elsewhere
        .values_list("pk", "initiative_id", "member__user__full_name", "member__user__username", "total")
    )
    found: dict[int, list[SheetTotal]] = {}
    for pk, initiative_id, full_name, username, total in rows:
        found.setdefault(initiative_id, []).append(SheetTotal(pk, full_name or username, total))
    return found


# --- Aggregates -------------------------------------------------------------------------------


@dataclass
class DossierAggregate:
    initiative: Initiative
    count: int = 0
    total: Decimal | None = None  # the sum of the sheets' totals
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    criterion_means: list[tuple[Criterion, Decimal | None]] = field(default_factory=list)
    needs_discussion: bool = False
    passed: bool = False
    rank: int | None = None
    recognition: Recognition | None = None

    @property
    def spread(self) -> Decimal | None:
        if self.minimum is None or self.maximum is None:
            return None
        return self.maximum - self.minimum

    def score_cells(self) -> SafeString:
        """The row's figures (sheets, mean, lowest, highest, spread, each criterion's mean),
        written here: a page of 50 dossiers has some 500 of them, which cost the template
        engine more than reading the page's data."""
        cells = [
            _NUM_CELL.format(self.count),
            _NUM_CELL.format(f"<strong>{_points(self.mean)}</strong>"),
            *(_OPTIONAL_CELL.format(_points(v)) for v in (self.minimum, self.maximum, self.spread)),
            *(_OPTIONAL_CELL.format(_points(mean)) for _criterion, mean in self.criterion_means),
        ]
        return mark_safe("".join(cells))  # numbers, localised, and fixed markup


_NUM_CELL = '<td class="num">{}</td>'
_OPTIONAL_CELL = '<td class="num col-optional">{}</td>'


def _points(value: Decimal | None) -> str:
    """Points as the page writes them (``floatformat:"-2"``, localised), "—" for none."""
    return points_text(value) if value is not None else "—"


def points_text(value: Decimal) -> str:
    """``floatformat(value, "-2")`` for the points of a sheet or a mean: a whole number
    without decimals, else two, rounded half up, with the language's decimal separator
    (numbers are not grouped: USE_THOUSAND_SEPARATOR is off). Django's filter costs 30 µs;
    a page of results writes some 600 of them."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{quantize(value):f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _counted() -> Q:
    """Sheets that count: submitted, by members not excluded."""
    return Q(excluded=False, submitted_at__isnull=False)


def _aggregate_rows(
    initiatives: list[Initiative], council: Council, rubric: Rubric | None, *, every: bool = False
) -> list[DossierAggregate]:
    """``every``: ``initiatives`` are all the council's dossiers, so the sums are taken over
    the council's sheets without a list of ids in the statement (1,500 of them nationally)."""
    ids = Q() if every else Q(initiative_id__in=[i.pk for i in initiatives])
    totals = {
        row["initiative_id"]: row
        for row in ReviewAssignment.objects.filter(_counted(), ids, member__council=council)
        .values("initiative_id")
        .annotate(n=Count("id"), s=Sum("total"), lo=Min("total"), hi=Max("total"))
        .order_by()
    }
    criteria = list(rubric.criteria.all()) if rubric is not None else []
    by_criterion: dict[tuple[int, int], tuple[int, Decimal]] = {
        (row["assignment__initiative_id"], row["criterion_id"]): (row["n"], row["s"])
        for row in ReviewScore.objects.filter(
            Q(assignment__initiative_id__in=[i.pk for i in initiatives]) if not every else Q(),
            assignment__member__council=council,
            assignment__excluded=False,
            assignment__submitted_at__isnull=False,
        )
        .values("assignment__initiative_id", "criterion_id")
        .annotate(n=Count("id"), s=Sum("points"))
        .order_by()
    }
    threshold = rubric.disagreement_threshold if rubric is not None else None
    result = []
    for initiative in initiatives:
        row = totals.get(initiative.pk)
        aggregate = DossierAggregate(initiative=initiative)
        if row is not None and row["n"]:
            aggregate.count = row["n"]
            aggregate.total = row["s"]
            aggregate.mean = quantize(Decimal(row["s"]) / row["n"])
            aggregate.minimum, aggregate.maximum = row["lo"], row["hi"]
        for criterion in criteria:
            n, s = by_criterion.get((initiative.pk, criterion.pk), (0, Decimal(0)))
            aggregate.criterion_means.append((criterion, quantize(Decimal(s) / n) if n else None))
        spread = aggregate.spread
        aggregate.needs_discussion = spread is not None and threshold is not None and spread > threshold
        aggregate.passed = (
            aggregate.mean is not None and rubric is not None and aggregate.mean >= rubric.pass_mark
        )
        aggregate.recognition = initiative.recognition if _has_recognition(initiative) else None
        result.append(aggregate)
    return result


def _has_recognition(initiative: Initiative) -> bool:
    try:
        initiative.recognition  # noqa: B018  (a reverse one-to-one raises when absent)
    except Recognition.DoesNotExist:
        return False
    return True


def _rank(aggregates: list[DossierAggregate]) -> list[DossierAggregate]:
    """Highest mean first; equal means share a rank ("1, 2, 2, 4"); unscored last."""
    ordered = sorted(
        aggregates,
        key=lambda a: (a.mean is None, -(a.mean or Decimal(0)), a.initiative.title, a.initiative.pk),
    )
    previous: Decimal | None = None
    for position, aggregate in enumerate(ordered, start=1):
        if aggregate.mean is None:
            continue
        if previous is None or aggregate.mean != previous:
            aggregate.rank = position
        else:
            aggregate.rank = ordered[position - 2].rank
        previous = aggregate.mean
    return ordered


def council_dossiers(council: Council) -> QuerySet[Initiative]:
    """The dossiers given to the council, with what the result pages show."""
    return (
        Initiative.objects.filter(
            pk__in=ReviewAssignment.objects.filter(member__council=council).values("initiative_id")
        )
        .select_related("unit", "recognition")
        .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.order_by("position")))
        .order_by("title", "pk")
    )


def dossier_aggregates(council: Council, rubric: Rubric | None = None) -> list[DossierAggregate]:
    """Every dossier of the council with its aggregates, in ranking order. Empty while the
    round is open: nobody reads scores before the round is closed. Seven queries (four when
    given the ``rubric`` with its criteria) whatever the number of dossiers and members."""
    if council.round_status != RoundStatus.CLOSED:
        return []
    if rubric is None:
        rubric = rubric_with_criteria(council.campaign.rubric_id)
    # What rankings show (title, unit, recognition): not each dossier's texts and authors.
    texts = [f.name for f in Initiative._meta.concrete_fields if isinstance(f, TextField)]
    dossiers = council_dossiers(council).prefetch_related(None).defer(*texts)
    return _rank(_aggregate_rows(list(dossiers), council, rubric, every=True))


def _ranking(sums: QuerySet[Any], titles: QuerySet[Any]) -> tuple[list[int], dict[int, int | None]]:
    """The council's dossiers in ranking order (highest mean first, then by title; unscored
    last) and each one's rank as ``_rank`` gives it: equal means share the first one's."""
    means: dict[int, Decimal] = {
        row["initiative_id"]: quantize(Decimal(row["s"]) / row["n"]) for row in sums if row["n"]
    }
    ordered = sorted(
        titles, key=lambda row: (row[0] not in means, -means.get(row[0], Decimal(0)), row[1], row[0])
    )
    order = [pk for pk, _title in ordered]
    ranks: dict[int, int | None] = {}
    previous: tuple[Decimal, int] | None = None
    for position, pk in enumerate(order, start=1):
        mean = means.get(pk)
        if mean is None:
            ranks[pk] = None
            continue
        if previous is None or mean != previous[0]:
            previous = (mean, position)
        ranks[pk] = previous[1]
    return order, ranks


class RankedDossiers:
    """``dossier_aggregates`` for a page of the results: every dossier ranked from its
    sheets' sums (numbers and titles, not dossiers), and the full aggregates — the dossier,
    its unit, its criteria's means — built only for the rows a page shows. Loading every
    dossier of a national council (1,500 of them, with their units) to show fifty cost
    0.2 s a page. Empty while the round is open, as ``dossier_aggregates``."""

    def __init__(self, council: Council, rubric: Rubric | None) -> None:
        self.council = council
        self.rubric = rubric
        if council.round_status != RoundStatus.CLOSED:
            self.order: list[int] = []
            self.ranks: dict[int, int | None] = {}
            return
        sums = (
            ReviewAssignment.objects.filter(_counted(), member__council=council)
            .values("initiative_id")
            .annotate(n=Count("id"), s=Sum("total"))
            .order_by()
        )
        titles = council_dossiers(council).prefetch_related(None).values_list("pk", "title")
        # A national council's ranking reads 1,500 dossiers' sums: kept until a sheet, a
        # dossier or the council changes (caicach.core.choices.kept).
        self.order, self.ranks = kept([sums, titles], lambda: _ranking(sums, titles), "council ranking")

    def __len__(self) -> int:
        return len(self.order)

    def count(self) -> int:  # what Paginator asks first
        return len(self.order)

    def __getitem__(self, index: slice) -> list[DossierAggregate]:
        assert isinstance(index, slice), "pages are slices"
        shown = self.order[index]
        # What the results list shows of each: its title and unit (the recognition is only
        # looked for, as ``_aggregate_rows`` does, not shown). By key alone: the ranking
        # holds the council's dossiers only.
        dossiers = (
            Initiative.objects.filter(pk__in=shown)
            .select_related("unit", "recognition")
            .only("title", "unit__name", "recognition__id")
            .order_by()
        )
        by_pk = {dossier.pk: dossier for dossier in dossiers}
        aggregates = _aggregate_rows([by_pk[pk] for pk in shown], self.council, self.rubric)
        for aggregate in aggregates:
            aggregate.rank = self.ranks[aggregate.initiative.pk]
        return aggregates


RESULTS_PAGE_SIZE = 50


class ResultsPage(NamedTuple):
    """A page of a council's results as the results page shows it."""

    rubric: Rubric | None
    criteria: list[Criterion]
    rows: list[tuple[DossierAggregate, list[SheetTotal]]]
    page: Page[tuple[DossierAggregate, list[SheetTotal]]]  # ``rows`` among the ranking's pages


def results_page(user: User | AnonymousUser, council: Council, number: str | None) -> ResultsPage:
    """Page ``number`` of ``council``'s ranked dossiers, each with the sheets ``user`` may
    read, kept until a write to a table it read commits (``kept_while_read``): a national
    council's page read its fifty dossiers' sums, criteria means and sheets again on every
    visit (20 ms). Which sheets ``user`` reads turns on their grants and their seat on the
    council (its members, read with the council by the caller): both are in the key, with
    the council's row (its round, its campaign's rubric)."""

    def build() -> tuple[
        Rubric | None, list[Criterion], list[tuple[DossierAggregate, list[SheetTotal]]], int, int
    ]:
        rubric = rubric_with_criteria(council.campaign.rubric_id)
        ranked: Any = RankedDossiers(council, rubric)  # a sequence Paginator slices (not a list)
        page = Paginator[DossierAggregate](ranked, RESULTS_PAGE_SIZE).get_page(number)
        aggregates = list(page.object_list)
        sheets = sheet_totals(user, council, [aggregate.initiative.pk for aggregate in aggregates])
        rows = [(aggregate, sheets.get(aggregate.initiative.pk, [])) for aggregate in aggregates]
        criteria = list(rubric.criteria.all()) if rubric is not None else []
        return rubric, criteria, rows, len(ranked), page.number

    council_row = tuple((f.attname, getattr(council, f.attname)) for f in council._meta.concrete_fields)
    seat = (can(user, "results", council), can(user, "change", council))
    key = (scope_key(user), council_row, council.campaign.rubric_id, seat, str(number), RESULTS_PAGE_SIZE)
    rubric, criteria, rows, found, shown = kept_while_read("council results page", key, build)
    # The page again from what was kept: its number and the count, without a statement.
    return ResultsPage(rubric, criteria, rows, page_again(rows, shown, found, RESULTS_PAGE_SIZE))


def dossier_aggregate(council: Council, initiative: Initiative) -> DossierAggregate | None:
    """One dossier's aggregates (closed rounds only)."""
    if council.round_status != RoundStatus.CLOSED:
        return None
    rubric = rubric_with_criteria(council.campaign.rubric_id)
    return _aggregate_rows([initiative], council, rubric)[0]


class SheetSeen(NamedTuple):
    """A member's own sheet of a dossier, as its panel shows it."""

    pk: int
    excluded: bool
    exclusion_reason: str
    submitted: bool


class AggregateSeen(NamedTuple):
    """A dossier's aggregates after the round closed, as its panel shows them; ``criteria``
    are (name, mean, maximum points)."""

    mean: Decimal | None
    passed: bool
    sheets: int
    minimum: Decimal | None
    maximum: Decimal | None
    needs_discussion: bool
    pass_mark: Decimal | None
    criteria: tuple[tuple[str, Decimal | None, Decimal], ...]


class DossierPanel(NamedTuple):
    """What the council card on a dossier's page shows ``user`` (plain values: kept)."""

    council_pk: int
    round_open: bool
    sheet: SheetSeen | None
    aggregate: AggregateSeen | None


def dossier_panel(user: User, initiative: Initiative) -> DossierPanel | None:
    """For a member assigned the dossier their sheet; for whoever may see results, the
    dossier's aggregates once the round closed; None when there is nothing to show ``user``.
    Kept until a write to a table it read commits (the council, its members, sheets, scores,
    the rubric): reading the council with its campaign, the sheet, the rubric's criteria and
    the sums cost a dossier's page some ten ms on each visit."""
    campaign_id = initiative.campaign_id
    if campaign_id is None:
        return None

    def build() -> DossierPanel | None:
        council = councils_with_relations().filter(campaign_id=campaign_id).first()
        if council is None:
            return None
        sheet = (
            ReviewAssignment.objects.filter(initiative=initiative, member__council=council, member__user=user)
            .select_related("member")
            .first()
        )
        may_see_results = can(user, "results", council) and (
            can(user, "change", council) or sheet is None or not sheet.excluded
        )
        if sheet is None and not may_see_results:
            return None
        aggregate = dossier_aggregate(council, initiative) if may_see_results else None
        rubric = council.campaign.rubric
        return DossierPanel(
            council_pk=council.pk,
            round_open=council.round_status == RoundStatus.OPEN,
            sheet=None
            if sheet is None
            else SheetSeen(sheet.pk, sheet.excluded, sheet.exclusion_reason, sheet.submitted_at is not None),
            aggregate=None
            if aggregate is None
            else AggregateSeen(
                mean=aggregate.mean,
                passed=aggregate.passed,
                sheets=aggregate.count,
                minimum=aggregate.minimum,
                maximum=aggregate.maximum,
                needs_discussion=aggregate.needs_discussion,
                pass_mark=rubric.pass_mark if rubric is not None else None,
                criteria=tuple(
                    (criterion.name, mean, criterion.max_points)
                    for criterion, mean in aggregate.criterion_means
                ),
            ),
        )

    key = (scope_key(user), initiative.pk, campaign_id)
    return kept_while_read("a dossier's council card", key, build)


class CouncilCard(NamedTuple):
    """The council card on a campaign's page as ``user`` sees it (plain values: kept). With
    no council, only ``can_create`` says anything."""

    council_pk: int | None = None
    name: str = ""
    round_open: bool = False
    round_label: str = ""
    scoring_deadline: datetime.date | None = None
    members: tuple[tuple[str, str], ...] = ()  # (name, role) in the council's order
    can_create: bool = False
    can_view: bool = False
    can_change: bool = False
    can_progress: bool = False
    can_results: bool = False
    assigned: int = 0
    submitted: int = 0
    seated: bool = False
    mine_open: int = 0


def campaign_council_card(user: User | AnonymousUser, campaign: Campaign) -> CouncilCard:
    """The council of ``campaign`` for its page: name, round, members, and for those who run
    it the sheets sent so far; for a member their own sheets still open. Kept until a write
    to a table it read commits (the council, its members, their sheets): reading the council
    with its relations and counting every member's sheets cost a national campaign's page
    some ten ms on each visit."""

    def build() -> CouncilCard:
        council = councils_with_relations().filter(campaign_id=campaign.pk).first()
        if council is None:
            return CouncilCard(can_create=can(user, "change", campaign))
        members = council_members(council)
        seat = next((m for m in members if isinstance(user, User) and m.user_id == user.pk), None)
        can_progress = can(user, "progress", council)
        progress = member_progress(council) if can_progress else []
        mine = (
            list(
                ReviewAssignment.objects.filter(member=seat, excluded=False).values_list(
                    "submitted_at", flat=True
                )
            )
            if seat is not None
            else []
        )
        return CouncilCard(
            council_pk=council.pk,
            name=council.name,
            round_open=council.round_status == RoundStatus.OPEN,
            round_label=str(council.get_round_status_display()),
            scoring_deadline=council.scoring_deadline,
            members=tuple(
                (member.user.full_name or member.user.username, str(member.get_role_display()))
                for member in members
            ),
            can_view=can(user, "view", council),
            can_change=can(user, "change", council),
            can_progress=can_progress,
            can_results=can(user, "results", council),
            assigned=sum(p.assigned for p in progress),
            submitted=sum(p.submitted for p in progress),
            seated=seat is not None,
            mine_open=sum(1 for submitted in mine if submitted is None),
        )

    return kept_while_read("a campaign's council card", (scope_key(user), campaign.pk), build)


def dossier_mean(initiative: Initiative) -> Decimal | None:
    """The mean of the sheets that count, as the council sees it (two decimals)."""
    row = ReviewAssignment.objects.filter(_counted(), initiative=initiative).aggregate(
        n=Count("id"), s=Sum("total")
    )
    if not row["n"]:
        return None
    return quantize(Decimal(row["s"]) / row["n"])


def review_sheet(assignment_id: int) -> QuerySet[ReviewAssignment]:
    """One sheet with what its page and its document show."""
    return ReviewAssignment.objects.filter(pk=assignment_id).select_related(
        "member__user",
        "member__council__campaign__issuing_unit__parent",
        "member__council__campaign__rubric",
        "initiative__unit",
    )


def sheet_scores(assignment: ReviewAssignment) -> dict[int, Decimal]:
    return dict(ReviewScore.objects.filter(assignment=assignment).values_list("criterion_id", "points"))


def sheets_to_score(user: User, limit: int) -> TodoEntry | None:
    """The home page's "to score" kind: the sheets ``user`` may still score (the ``score``
    rule's filter), the earliest deadline first, in one query."""
    where = to_score_by(user)
    if where == NOTHING:
        return None
    sheets = (
        ReviewAssignment.objects.filter(where)
        .select_related("initiative", "member__council")
        .order_by(F("member__council__scoring_deadline").asc(nulls_last=True), "initiative__title", "pk")
    )
    count, rows = count_and_first(sheets, limit)
    today = clock.today()
    items = []
    for sheet in rows:
        council = sheet.member.council
        deadline = council.scoring_deadline
        detail = council.name
        if deadline is not None:
            detail = _("%(council)s, hạn chấm %(day)s") % {
                "council": council.name,
                "day": f"{deadline:%d/%m/%Y}",
            }
        items.append(
            TodoItem(
                label=sheet.initiative.title,
                url=reverse("initiatives:review_score", args=[sheet.pk]),
                detail=detail,
                late=deadline is not None and deadline < today,
            )
        )
    late = sum(1 for item in items if item.late)
    return TodoEntry(
        key="initiatives.score",
        title=gettext_lazy("Hồ sơ sáng kiến chờ bạn chấm điểm"),
        count=count,
        items=items,
        more_url=reverse("initiatives:review_mine"),
        late_count=late,
    )


def votes_pending(council: Council) -> int:
    """How many of the council's dossiers still wait for their vote: the minutes are numbered
    only once there are none."""
    return (
        Initiative.objects.filter(
            review_assignments__member__council=council, status=InitiativeStatus.IN_REVIEW
        )
        .distinct()
        .count()
    )
