"""Reads of replication directives: the scoped list, a directive with its parts, who an
assignment reaches (the one expansion both issuing and extending use), and the pages'
tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy

from caicach.core.choices import kept_while_read
from caicach.core.models import Membership, Role, Unit, UnitKind, User
from caicach.core.permissions import (
    COMMITTEE_KINDS,
    Principal,
    jurisdictions_of,
    principal,
    subtree_ids,
    units_answering_to,
)
from caicach.core.text import search_words
from caicach.core.todos import TodoEntry, TodoItem, count_and_first
from caicach.replication.directives.rules import (
    draftable_committees_q,
    issuable_directives_q,
    visible_directives_q,
)
from caicach.replication.models import (
    TARGET_GROUP_KINDS,
    Assignment,
    Directive,
    DirectivePractice,
    DirectiveStatus,
    Obligation,
    Practice,
    PracticeStatus,
    TargetGroup,
)

# The document types a directive may take: seed 004 is an official letter; a committee may
# issue a plan instead.
DIRECTIVE_DOCUMENT_TYPES = ("CV", "KH")


def directive_queryset() -> QuerySet[Directive]:
    return Directive.objects.select_related(
        "issuing_unit__parent", "coordinator_unit", "registered_document", "signer"
    )


def directives_for(user: User | AnonymousUser, *, status: str = "") -> QuerySet[Directive]:
    """The directives ``user`` may open, newest first (the twin of the ``view`` rule)."""
    who = principal(user)
    if who is None:
        return Directive.objects.none()
    scope = visible_directives_q(who)
    rows = directive_queryset()
    if scope is not None:
        rows = rows.filter(scope)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def draftable_committees(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees in whose name ``user`` may draft a directive (today's units)."""
    who = principal(user)
    if who is None:
        return Unit.objects.none()
    return Unit.objects.active().filter(draftable_committees_q(who)).order_by("kind", "name")


def own_committee(user: User, committees: QuerySet[Unit]) -> Unit | None:
    """The committee the user's Home Affairs unit answers to, when they may draft for it:
    the form's first choice."""
    held = Membership.objects.filter(user=user, is_active=True, role=Role.REFORM_OFFICER).values_list(
        "unit_id", flat=True
    )
    return committees.filter(pk__in=jurisdictions_of(list(held))).order_by("pk").first()


def coordinator_choices(who: Principal) -> QuerySet[Unit]:
    """The units that may follow a new directive: today's non-committee units within the
    user's Home Affairs jurisdiction (the service checks it answers to the committee)."""
    rows = Unit.objects.active().exclude(kind__in=sorted(COMMITTEE_KINDS)).order_by("name")
    scope = who.scope_units(Role.REFORM_OFFICER)
    return rows if scope is None else rows.filter(pk__in=scope)


def listed_practices(directive: Directive) -> QuerySet[Practice]:
    return Practice.objects.filter(directive_listings__directive=directive).order_by(
        "directive_listings__section", "directive_listings__position", "id"
    )


def coordinating_choices(committee_id: int) -> QuerySet[Unit]:
    """Who may coordinate an assignment: the committee's own departments and offices, and
    its legacy districts."""
    answering = units_answering_to(committee_id)
    return (
        committee_units(committee_id)
        .filter(Q(pk__in=answering) | Q(kind=UnitKind.DISTRICT_COMMITTEE))
        .order_by("kind", "name")
    )


def committee_units(committee_id: int) -> QuerySet[Unit]:
    """Today's units within the committee's jurisdiction, the committee excepted: what an
    assignment may name."""
    return Unit.objects.active().filter(pk__in=subtree_ids([committee_id])).exclude(pk=committee_id)


def answering_units(committee_id: int) -> QuerySet[Unit]:
    """Today's units answering to the committee itself (its departments and offices): who
    may coordinate the directive."""
    return Unit.objects.active().filter(pk__in=units_answering_to(committee_id)).exclude(pk=committee_id)


def legacy_districts(committee_id: int) -> QuerySet[Unit]:
    return committee_units(committee_id).filter(kind=UnitKind.DISTRICT_COMMITTEE)


def accepted_practices(committee_id: int) -> QuerySet[Practice]:
    """The practices Home Affairs accepted for replication in this committee."""
    return (
        Practice.objects.filter(committee_id=committee_id, status=PracticeStatus.ACCEPTED)
        .select_related("origin_unit")
        .order_by("kind", "name", "id")
    )


def listings(directive: Directive) -> list[DirectivePractice]:
    """The listed practices in printing order: models, then solutions by group."""
    rows = DirectivePractice.objects.filter(directive=directive).select_related("practice__origin_unit")
    return sorted(rows, key=lambda row: (row.section != "models", row.position, row.id))


def assignments(directive: Directive) -> list[Assignment]:
    """The assignments with their practices, units and the number of units obliged."""
    return list(
        Assignment.objects.filter(directive=directive)
        .select_related("target_unit")
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.order_by("id")))
        .prefetch_related(Prefetch("coordinating_units", queryset=Unit.objects.order_by("name")))
        .annotate(unit_count=Count("obligations__unit", distinct=True))
        .order_by("position", "id")
    )


# --- Who an assignment reaches ----------------------------------------------------------------


def _communes_under(unit_ids: Iterable[int], day: datetime.date) -> QuerySet[Unit]:
    return Unit.objects.active_on(day).filter(pk__in=subtree_ids(unit_ids), kind=UnitKind.COMMUNE_COMMITTEE)


def target_units(
    *,
    committee_id: int,
    target_group: str,
    target_unit_id: int | None,
    include_subordinate_communes: bool,
    day: datetime.date,
) -> list[Unit]:
    """The units existing on ``day`` that an assignment names: the unit itself, or every
    unit of the group's kind within the committee (a province's "district committees" are
    the legacy districts under it, its "commune committees" every commune in the province),
    plus the communes of each named district when it passes the practices down (seed 004,
    III.3). Sorted by name."""
    active = Unit.objects.active_on(day)
    kinds = TARGET_GROUP_KINDS.get(target_group, ())
    found: QuerySet[Unit]
    if target_group == TargetGroup.UNIT:
        found = active.filter(pk=target_unit_id or 0)
    elif target_group == TargetGroup.DEPARTMENTS:
        found = active.filter(pk__in=units_answering_to(committee_id), kind__in=kinds)
    elif target_group == TargetGroup.COMMUNES_OF:
        found = active.filter(pk__in=subtree_ids([target_unit_id or 0]), kind__in=kinds)
    else:
        found = active.filter(pk__in=subtree_ids([committee_id]), kind__in=kinds).exclude(pk=committee_id)
    units = {unit.pk: unit for unit in found}
    if include_subordinate_communes:
        districts = [pk for pk, unit in units.items() if unit.kind == UnitKind.DISTRICT_COMMITTEE]
        if districts:
            units.update({unit.pk: unit for unit in _communes_under(districts, day)})
    return sorted(units.values(), key=lambda unit: (unit.name, unit.pk))


@dataclass(frozen=True)
class PlannedObligation:
    assignment: Assignment
    unit: Unit
    practice: Practice


def planned_obligations(
    directive: Directive, *, day: datetime.date, assignment_rows: Sequence[Assignment] | None = None
) -> list[PlannedObligation]:
    """Every (assignment, unit, practice) the directive obliges on ``day``: one per unit
    existing that day and practice of the assignment."""
    rows = assignment_rows if assignment_rows is not None else assignments(directive)
    planned: list[PlannedObligation] = []
    for assignment in rows:
        units = target_units(
            committee_id=directive.issuing_unit_id,
            target_group=assignment.target_group,
            target_unit_id=assignment.target_unit_id,
            include_subordinate_communes=assignment.include_subordinate_communes,
            day=day,
        )
        practices = list(assignment.practices.all())
        planned += [PlannedObligation(assignment, unit, practice) for unit in units for practice in practices]
    return planned


def missing_obligations(directive: Directive, *, day: datetime.date) -> list[PlannedObligation]:
    """What ``planned_obligations`` holds that no obligation row does yet (a commune created
    after the directive was issued). A unit that took over another's obligation already has
    that assignment's row and is not counted twice."""
    existing = set(
        Obligation.objects.filter(directive=directive).values_list("assignment_id", "unit_id", "practice_id")
    )
    return [
        row
        for row in planned_obligations(directive, day=day)
        if (row.assignment.pk, row.unit.pk, row.practice.pk) not in existing
    ]


def units_of(planned: Sequence[PlannedObligation]) -> list[Unit]:
    units = {row.unit.pk: row.unit for row in planned}
    return sorted(units.values(), key=lambda unit: (unit.name, unit.pk))


# --- The obligations table ---------------------------------------------------------------------


def obliged_units(directive: Directive, *, search: str = "") -> QuerySet[Unit]:
    """The units the directive obliges, by name, with their number of open obligations: the
    rows of the detail page's table (paginated by unit). The units are found among the
    directive's obligations and each page's counted by itself: grouping every obliged unit's
    joined rows (a national directive's 4,000) to count them cost more than the page."""
    open_rows = (
        Obligation.objects.filter(directive=directive, unit=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Unit.objects.filter(pk__in=Obligation.objects.filter(directive=directive).values("unit_id"))
        .annotate(open_count=Coalesce(Subquery(open_rows), 0))
        .only("name")
        .order_by("name", "pk")
    )
    if search:
        rows = rows.filter(search_text__contains=search_words(search))
    return rows


def obligations_of_units(directive: Directive, unit_ids: Sequence[int]) -> dict[int, list[Obligation]]:
    """The obligations of one page of units, by unit: what the table shows of each (not the
    practices' long texts, some 200 of them a page)."""
    by_unit: dict[int, list[Obligation]] = {pk: [] for pk in unit_ids}
    rows = (
        Obligation.objects.filter(directive=directive, unit_id__in=unit_ids)
        .select_related("practice", "transferred_from__unit")
        .only("unit_id", "role", "ended_on", "practice__name", "transferred_from__unit__name")
        .order_by("unit_id", "practice_id", "id")
    )
    for row in rows:
        by_unit[row.unit_id].append(row)
    return by_unit


class ObligedUnit(NamedTuple):
    """A unit of the obligations table, with its number of open obligations."""

    pk: int
    name: str
    open_count: int


class ObligationShown(NamedTuple):
    """An obligation as the table lists it under its unit; ``taken_over_from``: the unit it
    was handed on from, or ""."""

    practice_name: str
    role_label: str
    ended_on: datetime.date | None
    taken_over_from: str


def _obligation_shown(obligation: Obligation) -> ObligationShown:
    handed_on = obligation.transferred_from
    return ObligationShown(
        practice_name=obligation.practice.name,
        role_label=str(obligation.get_role_display()),
        ended_on=obligation.ended_on,
        taken_over_from=handed_on.unit.name if handed_on is not None else "",
    )


def obligations_table(
    directive: Directive, page_number: str | int | None, per_page: int
) -> tuple[Page[ObligedUnit], list[tuple[ObligedUnit, list[ObligationShown]]]]:
    """Page ``page_number`` of the units the directive obliges (``obliged_units``) with
    their obligations, as plain values kept until a write to a table they read commits
    (``kept_while_read``): a national directive's page cost 10 ms a visit to count and read
    again."""

    def build() -> tuple[list[tuple[ObligedUnit, list[ObligationShown]]], int, int]:
        page = Paginator(obliged_units(directive), per_page).get_page(page_number)
        units = [ObligedUnit(unit.pk, unit.name, unit.open_count) for unit in page.object_list]
        by_unit = obligations_of_units(directive, [unit.pk for unit in units])
        rows = [
            (
                unit,
                [_obligation_shown(obligation) for obligation in by_unit[unit.pk]],
            )
            for unit in units
        ]
        return rows, page.number, page.paginator.count

    key = (directive.pk, str(page_number), per_page)
    rows, number, count = kept_while_read("a directive's obligations: a page", key, build)
    # The page again from what was kept: a paginator over the count, not the units.
    page: Page[ObligedUnit] = Page([unit for unit, _ in rows], number, Paginator(range(count), per_page))  # type: ignore[arg-type]
    return page, rows


def is_issued(directive: Directive) -> bool:
    return directive.status == DirectiveStatus.ISSUED


def directives_to_sign(user: User, limit: int) -> TodoEntry | None:
    """The home page's to-do: drafts of the leader's committee with their assignments made,
    waiting for the leader to review, sign and issue."""
    who = principal(user)
    if who is None or not who.units_with_role(Role.CHAIRMAN, Role.LEADER):
        return None
    rows = (
        Directive.objects.filter(issuable_directives_q(who))
        .filter(Exists(Assignment.objects.filter(directive=OuterRef("pk"))))
        .order_by("updated_at", "pk")
    )
    count, first = count_and_first(rows, limit)
    return TodoEntry(
        key="replication.sign_directives",
        title=gettext_lazy("Văn bản chỉ đạo nhân rộng chờ ký ban hành"),
        count=count,
        items=[TodoItem(label=row.title, url=row.get_absolute_url()) for row in first],
        more_url=reverse("replication:directive_list") + "?status=draft",
    )
