"""Reads for the work program pages (and the KPIs, which build on ``items_for`` and
``overdue_q``: keep those two signatures stable).

``items_for``, ``programs_for`` and ``requests_for`` are the database-side twins of the
``view`` rules in rules.py; a test keeps each pair in step."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields import BooleanField
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core import search as fulltext
from caicach.core.choices import kept_while_read
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.months import first_of_month, month_label, overdue_threshold
from caicach.core.pagination import page_again
from caicach.core.permissions import COMMITTEE_KINDS, principal, scope_key, subtree_ids, units_answering_to
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.workprogram.models import (
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    WorkProgram,
    WorkProgramSettings,
)
from caicach.workprogram.programs.rules import (
    LEADER_ROLES,
    SIGNING_ROLES,
    awaiting_head_of,
    items_for,
    led_by_units_of,
    pending_in_office,
    program_items_for,
    programs_for,
    requests_for,
    to_decide_by,
)

# The "overdue" pseudo-status of the program page's filter (never stored).
OVERDUE = "overdue"


def settings_for(unit: Unit | int) -> WorkProgramSettings:
    """The committee's work-program settings; an unsaved instance with seed 001's defaults
    when the committee has set nothing."""
    return WorkProgramSettings.of(unit)


def overdue_q(today: datetime.date, grace_days: int = 0) -> Q:
    """Items past their due month without submission: still planned, and the last day of the
    due month plus ``grace_days`` is before ``today``. As due_month is always the first of a
    month, "last day of M + grace < today" is "M < the month of (today - grace)"."""
    threshold = overdue_threshold(today, grace_days)
    return Q(status=ItemStatus.PLANNED, due_month__lt=threshold)


def is_overdue(item: ProgramItem, today: datetime.date, grace_days: int = 0) -> bool:
    """``overdue_q`` for one item already in memory (the same rule, no query)."""
    threshold = overdue_threshold(today, grace_days)
    return item.status == ItemStatus.PLANNED and item.due_month < threshold


def with_overdue(
    items: QuerySet[ProgramItem], today: datetime.date, grace_days: int = 0
) -> QuerySet[ProgramItem]:
    """Annotates ``is_overdue`` (what the lists show as a badge)."""
    return items.annotate(
        is_overdue=Case(
            When(overdue_q(today, grace_days), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def program_rows(user: User | AnonymousUser) -> QuerySet[WorkProgram]:
    """The program list: each program with how many of its items the user sees — counted
    per program row by a correlated subquery on the program's index, not by an aggregate
    filtered on a visibility subquery (which the planner runs for every item of the join)."""
    visible = (
        items_for(user)
        .filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        programs_for(user)
        .annotate(item_count=Coalesce(Subquery(visible), 0))
        .order_by("-year", "issuing_unit__code", "-pk")
    )


class ProgramRow(NamedTuple):
    """A program as a row of the program list."""

    url: str
    year: int
    title: str
    unit_name: str
    decision_number: str
    decision_date: datetime.date | None
    item_count: int  # the items the reader sees


PROGRAMS_PER_PAGE = 25


def program_page(user: User | AnonymousUser, number: str | None) -> Page[ProgramRow]:
    """Page ``number`` of ``program_rows`` as plain values, kept until a write to a table
    they read commits (``kept_while_read``): a national officer's page counted the items of
    each of its 25 programs, 300,000 in all, again on every visit (13 ms). The counts are the
    reader's (their scope): the key holds ``scope_key``."""

    def build() -> tuple[list[ProgramRow], int, int]:
        page = Paginator(program_rows(user).select_related("issuing_unit"), PROGRAMS_PER_PAGE).get_page(
            number
        )
        rows = [
            ProgramRow(
                url=program.get_absolute_url(),
                year=program.year,
                title=program.title,
                unit_name=program.issuing_unit.short_name or program.issuing_unit.name,
                decision_number=program.decision_number,
                decision_date=program.decision_date,
                item_count=program.item_count,
            )
            for program in page.object_list
        ]
        return rows, page.number, page.paginator.count

    rows, shown, count = kept_while_read("program list page", (scope_key(user), str(number)), build)
    # The page again from what was kept: its number and the count, without a statement.
    return page_again(rows, shown, count, PROGRAMS_PER_PAGE)


def pending_requests_for_leader(user: User) -> QuerySet[AdjustmentRequest]:
    return requests_for(user).filter(status=RequestStatus.PENDING, leader=user)


@dataclass(frozen=True)
class ItemFilters:
    lead_unit: Unit | None = None
    status: str = ""  # an ItemStatus value or OVERDUE
    month: datetime.date | None = None  # due in this month (its first day)
    submission_kind: str = ""
    supervising_leader: User | None = None
    search: str = ""


def program_items(
    user: User | AnonymousUser,
    program: WorkProgram,
    filters: ItemFilters,
    *,
    today: datetime.date,
    grace: int,
) -> QuerySet[ProgramItem]:
    """The program page's table: the items of ``program`` the user may see, filtered, with
    what the rows show loaded (``is_overdue`` as of ``today``, past its committee's ``grace``
    days, annotated; coordinating units prefetched)."""
    items = program_items_for(user, program)
    if filters.lead_unit is not None:
        items = items.filter(lead_unit=filters.lead_unit)
    if filters.status == OVERDUE:
        items = items.filter(overdue_q(today, grace))
    elif filters.status:
        items = items.filter(status=filters.status)
    if filters.month is not None:
        items = items.filter(due_month=first_of_month(filters.month))
    if filters.submission_kind:
        items = items.filter(submission_kind=filters.submission_kind)
    if filters.supervising_leader is not None:
        items = items.filter(supervising_leader=filters.supervising_leader)
    # Every word, accent- and case-blind, through the full-text index (the table keeps its order).
    items = fulltext.search(items, filters.search)
    pending = AdjustmentRequest.objects.filter(item=OuterRef("pk"), status=RequestStatus.PENDING)
    return (
        with_overdue(items, today, grace)
        .annotate(has_pending_request=Exists(pending))
        .select_related("lead_unit", "supervising_leader", "monitoring_officer")
        .prefetch_related("coordinating_units")
        .order_by("position", "pk")
    )


def item_detail_queryset() -> QuerySet[ProgramItem]:
    return ProgramItem.objects.select_related(
        "program__issuing_unit", "lead_unit", "supervising_leader", "monitoring_officer"
    )


def request_list_rows(user: User | AnonymousUser, status: str) -> QuerySet[AdjustmentRequest]:
    """The requests ``user`` may see (``requests_for``), newest first, with ``status`` if
    given, reading only what the list shows: the nine relations the detail page joins took
    the planner longer than running the page's query."""
    rows = (
        requests_for(user)
        .select_related(None)
        .select_related("request_document", "lead_unit", "item", "leader")
    )
    if status:
        rows = rows.filter(status=status)
    return rows.only(*REQUEST_LIST_COLUMNS).order_by("-created_at", "-pk")


REQUEST_LIST_COLUMNS = (
    "kind",
    "status",
    "proposed_month",
    "proposed_title",
    "created_at",
    "request_document__issued_on",
    "lead_unit__name",
    "lead_unit__short_name",
    "item__title",
    "leader__full_name",
    "leader__username",
)


def request_detail_queryset() -> QuerySet[AdjustmentRequest]:
    """What a request's page and its two documents read (headers need the units' parents)."""
    return AdjustmentRequest.objects.select_related(
        "program__issuing_unit__parent",
        "item",
        "lead_unit__parent",
        "reason",
        "requested_by",
        "leader",
        "decided_by",
        "signed_by",
        "request_document",
        "decision_document",
    )


def jurisdiction_units(program: WorkProgram) -> QuerySet[Unit]:
    """Units that may lead or coordinate an item of ``program``: the issuing committee and
    every unit under it, still in existence in the program's year."""
    return (
        Unit.objects.filter(pk__in=subtree_ids([program.issuing_unit_id]))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(program.year, 1, 1)))
        .order_by("code")
    )


def leaders_of(program: WorkProgram) -> QuerySet[User]:
    """The leaders (Chairman, Vice-chairmen) of the committee issuing ``program``."""
    leader_ids = Membership.objects.filter(
        unit_id=program.issuing_unit_id, role__in=LEADER_ROLES, is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=leader_ids, is_active=True).order_by("full_name", "username")


def office_officers_of(program: WorkProgram) -> QuerySet[User]:
    """The Office officers whose jurisdiction covers ``program``'s committee."""
    holders = Membership.objects.filter(
        role=Role.OFFICE_OFFICER, is_active=True, unit__in=units_answering_to(program.issuing_unit_id)
    ).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "username")


def committees_for_office(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Committees the user may issue a program for (their Office jurisdiction, or any for
    an administrator)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    scope = who.scope_units(Role.OFFICE_OFFICER)
    return committees if scope is None else committees.filter(pk__in=scope)


def unit_heads(unit_ids: set[int] | list[int]) -> QuerySet[User]:
    head_ids = Membership.objects.filter(unit_id__in=unit_ids, role=Role.UNIT_HEAD, is_active=True).values(
        "user_id"
    )
    return User.objects.filter(pk__in=head_ids, is_active=True)


def unit_signers(unit_ids: set[int] | list[int]) -> QuerySet[User]:
    """Who signs a unit's Tờ trình: its head; for a committee, its Chairman or a
    Vice-chairman (the committee's leaders)."""
    signer_ids = Membership.objects.filter(
        unit_id__in=unit_ids, role__in=SIGNING_ROLES, is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=signer_ids, is_active=True)


# --- The home page's to-do kinds ---------------------------------------------------------------------


def _requests_entry(
    key: str, title: str | Promise, where: Q, limit: int, *, status: str = RequestStatus.PENDING
) -> TodoEntry | None:
    if where == NOTHING:
        return None  # the person holds no role for this kind: no query at all
    requests = (
        AdjustmentRequest.objects.filter(where)
        .select_related("item", "lead_unit")
        .order_by("created_at", "pk")  # the one waiting longest first
    )
    count, rows = count_and_first(requests, limit)
    items = [
        TodoItem(
            label=str(request),
            url=reverse("workprogram:request_detail", args=[request.pk]),
            detail=_("%(unit)s, gửi ngày %(day)s")
            % {
                "unit": request.lead_unit.short_name or request.lead_unit.name,
                "day": f"{timezone.localdate(request.created_at):%d/%m/%Y}",
            },
        )
        for request in rows
    ]
    more_url = reverse("workprogram:request_list") + "?" + urlencode({"status": status})
    return TodoEntry(key=key, title=title, count=count, items=items, more_url=more_url)


def requests_to_decide(user: User, limit: int) -> TodoEntry | None:
    """The requests addressed to ``user`` as supervising leader, still undecided."""
    return _requests_entry(
        "workprogram.decide", gettext_lazy("Đề nghị điều chỉnh chờ bạn quyết định"), to_decide_by(user), limit
    )


def requests_to_approve(user: User, limit: int) -> TodoEntry | None:
    """The staff's drafts waiting for ``user``'s approval as head of the lead unit."""
    return _requests_entry(
        "workprogram.approve_submissions",
        gettext_lazy("Đề nghị điều chỉnh chờ bạn duyệt, ký Tờ trình"),
        awaiting_head_of(user),
        limit,
        status=RequestStatus.AWAITING_HEAD,
    )


def requests_in_office(user: User, limit: int) -> TodoEntry | None:
    """The undecided requests of the programs ``user``'s Office keeps (the Office follows
    them up with the leaders, seed 001)."""
    return _requests_entry(
        "workprogram.follow_requests",
        gettext_lazy("Đề nghị điều chỉnh chờ lãnh đạo quyết định"),
        pending_in_office(user),
        limit,
    )


def overdue_q_by_committee(today: datetime.date) -> Q:
    """``overdue_q`` for items of any program, each with the grace days its committee set:
    one query reads the grace values in use (a handful), the committees stay a subquery."""
    default = WorkProgramSettings._meta.get_field("overdue_grace_days").get_default()
    custom = WorkProgramSettings.objects.exclude(overdue_grace_days=default)
    where = overdue_q(today, default) & ~Q(program__issuing_unit__in=custom.values("unit_id"))
    for grace in custom.order_by().values_list("overdue_grace_days", flat=True).distinct():
        committees = WorkProgramSettings.objects.filter(overdue_grace_days=grace).values("unit_id")
        where |= overdue_q(today, grace) & Q(program__issuing_unit__in=committees)
    return where


def overdue_items_of_units(user: User, limit: int) -> TodoEntry | None:
    """The overdue items led by the units where ``user`` records submissions (head or
    staff), the oldest first."""
    where = led_by_units_of(user)
    if where == NOTHING:
        return None
    today = clock.today()
    items = (
        ProgramItem.objects.filter(where)
        .filter(overdue_q_by_committee(today))
        .select_related("lead_unit", "program")
        .only("pk", "title", "due_month", "program__title", "lead_unit__name", "lead_unit__short_name")
        .order_by("due_month", "position", "pk")
    )
    count, rows = count_and_first(items, limit)
    entries = [
        TodoItem(
            label=item.title,
            url=reverse("workprogram:item_detail", args=[item.pk]),
            detail=_("%(unit)s, hạn trình tháng %(month)s")
            % {
                "unit": item.lead_unit.short_name or item.lead_unit.name,
                "month": month_label(item.due_month),
            },
            late=True,
        )
        for item in rows
    ]
    more_url = ""
    if rows and len({(row.program_id, row.lead_unit_id) for row in rows}) == 1:
        more_url = (
            reverse("workprogram:program_detail", args=[rows[0].program_id])
            + "?"
            + urlencode({"status": OVERDUE, "lead_unit": rows[0].lead_unit_id})
        )
    return TodoEntry(
        key="workprogram.overdue_items",
        title=gettext_lazy("Nội dung quá hạn chưa trình của đơn vị"),
        count=count,
        items=entries,
        more_url=more_url,
        late_count=count,
    )
