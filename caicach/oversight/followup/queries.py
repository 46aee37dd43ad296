"""Reads of the follow-up area: the task list with its filters, the pickers' choices and the
deadline arithmetic (through the calendar only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Exists, OuterRef, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from caicach.core import search as fulltext
from caicach.core.calendar import queries as calendar
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.pagination import rows_by_key
from caicach.core.permissions import COMMITTEE_KINDS, principal, subtree_ids, units_answering_to
from caicach.core.todos import TodoEntry, TodoItem, count_and_first
from caicach.oversight.models import (
    DeadlineKind,
    Extension,
    ExtensionStatus,
    OversightSettings,
    Task,
    TaskSource,
)
from caicach.oversight.rules import LEADER_ROLES, pending_extensions_for, tasks_for
from caicach.oversight.timeliness import Timeliness, timeliness_expression, timeliness_of

# --- Deadlines ------------------------------------------------------------------------------------


def _last_working_day_of(first_of_next: datetime.date) -> datetime.date:
    return calendar.working_day_before(first_of_next - datetime.timedelta(days=1), 0)


def _month_after(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_end(kind: str, day: datetime.date) -> datetime.date:
    """A recurring task's deadline for the period holding ``day``: the last working day of
    the month (monthly) or of the quarter (quarterly). When ``day`` is already past that
    working day (a source dated on the month's last weekend), the next period's."""
    months = 1 if kind == DeadlineKind.MONTHLY else 3 - (day.month - 1) % 3
    end = _last_working_day_of(_month_after(day, months))
    if end < day:
        end = _last_working_day_of(_month_after(day, months + (1 if kind == DeadlineKind.MONTHLY else 3)))
    return end


def next_period_deadline(kind: str, deadline: datetime.date) -> datetime.date:
    """The period after the one ending with ``deadline``."""
    step = 1 if kind == DeadlineKind.MONTHLY else 3
    return _last_working_day_of(_month_after(deadline, step + 1))


def compute_deadline(
    kind: str,
    source_date: datetime.date,
    *,
    date: datetime.date | None = None,
    working_days: int | None = None,
) -> datetime.date | None:
    """The first deadline by its kind; None when what it needs is missing."""
    if kind == DeadlineKind.DATE:
        return date
    if kind == DeadlineKind.WORKING_DAYS:
        return calendar.add_working_days(source_date, working_days) if working_days else None
    if kind in (DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY):
        return period_end(kind, source_date)
    return None


def due_soon_until(today: datetime.date, working_days: int | None = None) -> datetime.date:
    days = working_days if working_days is not None else OversightSettings().due_soon_working_days
    return calendar.add_working_days(today, days)


def remaining_words(deadline: datetime.date, today: datetime.date) -> str:
    """ "còn N ngày làm việc" / "đến hạn hôm nay" / "quá hạn N ngày làm việc"."""
    days = calendar.working_days_between(today, deadline)
    if deadline < today:
        # A deadline on Friday read on Saturday: overdue, though no working day has passed yet.
        late = max(-days, 1)
        return ngettext("quá hạn %(n)s ngày làm việc", "quá hạn %(n)s ngày làm việc", late) % {"n": late}
    if deadline == today:
        return _("đến hạn hôm nay")
    return ngettext("còn %(n)s ngày làm việc", "còn %(n)s ngày làm việc", days) % {"n": days}


def timeliness_by_committee(today: datetime.date) -> Case:
    """The timeliness of each row by its own committee's "due soon" setting: the list mixes
    committees, and a task that reads "due soon" on its own page must read the same in the list.
    One query for the few committees that changed the default, then one CASE branch each."""
    default_days = OversightSettings().due_soon_working_days
    changed = (
        OversightSettings.objects.exclude(due_soon_working_days=default_days)
        .order_by("unit_id")
        .values_list("unit_id", "due_soon_working_days")
    )
    fallback = timeliness_expression(today=today, due_soon_until=due_soon_until(today, default_days))
    branches = [
        When(
            committee_id=unit_id,
            then=timeliness_expression(today=today, due_soon_until=due_soon_until(today, days)),
        )
        for unit_id, days in changed
    ]
    return Case(*branches, default=fallback) if branches else fallback


def timeliness_now(task: Task, today: datetime.date) -> Timeliness:
    return timeliness_of(
        task,
        today=today,
        due_soon_until=due_soon_until(today, OversightSettings.of(task.committee_id).due_soon_working_days),
    )


# --- Choices ---------------------------------------------------------------------------------------


def committees_for_office(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees ``user``'s Office jurisdiction covers (where they may assign tasks)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    scope = who.scope_units(Role.OFFICE_OFFICER)
    return committees if scope is None else committees.filter(pk__in=scope)


def leaders_of(committee_id: int) -> QuerySet[User]:
    """The committee's Chairman and Vice-chairmen (who may assign a task)."""
    held = Membership.objects.filter(unit_id=committee_id, role__in=LEADER_ROLES, is_active=True).values(
        "user_id"
    )
    return User.objects.filter(pk__in=held, is_active=True).order_by("full_name", "username")


def units_of(committee_id: int) -> QuerySet[Unit]:
    """Units that may lead or coordinate a task of the committee: those under it, today."""
    return (
        Unit.objects.active()
        .filter(pk__in=subtree_ids([committee_id]))
        .exclude(pk=committee_id)
        .order_by("code")
    )


def office_officers_of(committee_id: int) -> QuerySet[User]:
    holders = Membership.objects.filter(
        role=Role.OFFICE_OFFICER, is_active=True, unit__in=units_answering_to(committee_id)
    ).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "username")


# --- The list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilters:
    committee: Unit | None = None
    lead_unit: Unit | None = None
    assigned_by: User | None = None
    source: str = ""
    timeliness: str = ""
    year: int | None = None
    search: str = ""


def task_rows(user: User | AnonymousUser, filters: TaskFilters, *, today: datetime.date) -> QuerySet[Task]:
    """The list page's rows: the tasks the user may see, filtered, ``timeliness`` annotated
    against the current deadline (the day-to-day reading; the KPIs read the original one)."""
    tasks = tasks_for(user)
    if filters.committee is not None:
        tasks = tasks.filter(committee=filters.committee)
    if filters.lead_unit is not None:
        tasks = tasks.filter(lead_unit=filters.lead_unit)
    if filters.assigned_by is not None:
        tasks = tasks.filter(assigned_by=filters.assigned_by)
    if filters.source:
        tasks = tasks.filter(source=filters.source)
    if filters.year:
        tasks = tasks.filter(source_date__year=filters.year)
    tasks = with_timeliness(tasks, today, only=filters.timeliness)
    return fulltext.search(tasks, filters.search).order_by("deadline", "pk")


def with_timeliness(tasks: QuerySet[Task], today: datetime.date, *, only: str = "") -> QuerySet[Task]:
    """``tasks`` with ``timeliness`` as of ``today`` by each committee's "due soon" setting
    and ``has_pending_extension``: what a row of the list shows besides the task. ``only``:
    a timeliness, the tasks of that one alone."""
    annotated = tasks.annotate(timeliness=timeliness_by_committee(today))
    if only:
        annotated = annotated.filter(timeliness=only)
    pending = Extension.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    return annotated.annotate(has_pending_extension=Exists(pending))


def tasks_by_key(ids: list[int], today: datetime.date) -> list[Task]:
    """The tasks ``ids``, in that order, as a row of the list shows them (``with_timeliness``,
    lead unit and leader joined): a page of the list, found by ``task_rows``."""
    return rows_by_key(with_timeliness(Task.objects.select_related("lead_unit", "assigned_by"), today), ids)


def lead_units_in_view(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The lead units the filter offers: those of the tasks the user sees (a select with a
    search box once there are many, see ``UnitChoiceField``)."""
    return Unit.objects.filter(pk__in=tasks_for(user).values("lead_unit_id")).order_by("code")


def assigners_in_view(user: User | AnonymousUser) -> QuerySet[User]:
    return User.objects.filter(pk__in=tasks_for(user).values("assigned_by_id")).order_by("full_name")


def committees_in_view(user: User | AnonymousUser) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=tasks_for(user).values("committee_id")).order_by("code")


def task_detail_queryset() -> QuerySet[Task]:
    return Task.objects.select_related(
        "committee",
        "lead_unit",
        "assigned_by",
        "monitoring_officer",
        "created_by",
        "cancelled_by",
        "conclusion_point__meeting",
    )


def conclusion_points_open(meeting_id: int) -> QuerySet:  # type: ignore[type-arg]
    """A meeting's conclusion points that may become tasks: a lead unit, no task yet."""
    from caicach.deliberation.models import ConclusionPoint

    return (
        ConclusionPoint.objects.filter(meeting_id=meeting_id, lead_unit__isnull=False, task__isnull=True)
        .select_related("lead_unit")
        .prefetch_related("coordinating_units")
        .order_by("position", "pk")
    )


SOURCE_LABELS = dict(TaskSource.choices)


# --- The home page's to-do ---------------------------------------------------------------------------


def extensions_to_decide(user: User, limit: int) -> TodoEntry | None:
    """ "N đề nghị gia hạn chờ quyết định": the requests waiting for ``user`` as the assigning
    leader (or, for the Office, those of its committees, on delegation). None, without a
    query, for anyone who decides none."""
    pending = pending_extensions_for(user)
    if pending is None:
        return None
    rows = pending.select_related("task__lead_unit").order_by("requested_at", "pk")
    count, first = count_and_first(rows, limit)
    items = [
        TodoItem(
            label=extension.task.content[:120],
            url=reverse("oversight:task_detail", args=[extension.task_id]),
            detail=_("%(unit)s đề nghị gia hạn đến %(day)s")
            % {
                "unit": extension.task.lead_unit.short_name or extension.task.lead_unit.name,
                "day": f"{extension.proposed_deadline:%d/%m/%Y}",
            },
        )
        for extension in first
    ]
    return TodoEntry(
        key="oversight.extensions_to_decide",
        title=gettext_lazy("Đề nghị gia hạn nhiệm vụ chờ quyết định"),
        count=count,
        items=items,
        more_url=reverse("oversight:task_list"),
    )
