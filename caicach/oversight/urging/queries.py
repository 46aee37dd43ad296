"""Reads of urging: the committee's follow-up settings, the reminder calendar of a task, the
overdue tasks of a unit, "repeatedly overdue" and the home page's unit tasks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.models import Membership, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, jurisdictions_of, principal
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.oversight.models import (
    Extension,
    ExtensionStatus,
    OversightSettings,
    ReminderKind,
    Task,
    TaskSource,
)
from caicach.oversight.timeliness import overdue_q
from caicach.oversight.urging.rules import UNIT_ROLES, open_tasks_of_units_of, overseen_tasks_for

DEFAULT_REPEATED_AFTER = OversightSettings._meta.get_field("repeated_overdue_after").default


def settings_for(unit: Unit | int) -> OversightSettings:
    """The committee's settings; an unsaved instance with the defaults when it set nothing."""
    return OversightSettings.of(unit)


# --- When reminders go out ----------------------------------------------------------------------


def reminder_kind_on(
    deadline: datetime.date, day: datetime.date, *, before: int, every: int
) -> ReminderKind | None:
    """Which reminder of a task due on ``deadline`` goes out on ``day``, if any.

    - Nothing on a day off (weekends, holidays, the notice days off); a make-up Saturday is
      a working day and gets its reminders.
    - BEFORE: on the ``before``-th working day before the deadline (the deadline itself not
      counted: ``working_day_before``), so it always lands on a working day, however many
      days off lie in between. ``before == 0``: no such reminder (the day's one is enough).
    - DUE: on the deadline; a deadline on a day off is reminded on the last working day
      before it (the unit must not learn of it after the holiday).
    - OVERDUE: the first working day after the deadline, then every ``every`` working days
      (working days counted after the deadline: the 1st, the (1 + every)-th…)."""
    if not calendar.is_working_day(day):
        return None
    if day > deadline:
        elapsed = calendar.working_days_between(deadline, day)
        return ReminderKind.OVERDUE if (elapsed - 1) % every == 0 else None
    if day == calendar.working_day_before(deadline, 0):
        return ReminderKind.DUE
    if before > 0 and day == calendar.working_day_before(deadline, before):
        return ReminderKind.BEFORE
    return None


def days_overdue(deadline: datetime.date, today: datetime.date) -> int:
    """Working days past the deadline (0 when not past)."""
    return max(0, calendar.working_days_between(deadline, today))


def unit_people(unit_ids: list[int]) -> dict[int, dict[int, User]]:
    """The active heads and staff of each unit, in one query."""
    found: dict[int, dict[int, User]] = {}
    for membership in (
        Membership.objects.filter(
            unit_id__in=sorted(set(unit_ids)), role__in=UNIT_ROLES, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    ):
        found.setdefault(membership.unit_id, {})[membership.user_id] = membership.user
    return found


# --- Repeatedly overdue -------------------------------------------------------------------------


def repeated_after_expression() -> Coalesce:
    """The committee's ``repeated_overdue_after`` (its default without a row)."""
    return Coalesce(
        Subquery(
            OversightSettings.objects.filter(unit_id=OuterRef("committee_id")).values(
                "repeated_overdue_after"
            )[:1]
        ),
        Value(DEFAULT_REPEATED_AFTER),
    )


def repeatedly_overdue_q(today: datetime.date) -> Q:
    """Overdue today and either urged at least the committee's ``repeated_overdue_after``
    times, or overdue again after an approved extension. Needs the ``repeated_after``
    annotation (``with_repeated``)."""
    extended = Extension.objects.filter(task_id=OuterRef("pk"), status=ExtensionStatus.APPROVED)
    return overdue_q(today) & (Q(urge_count__gte=F("repeated_after")) | Q(Exists(extended)))


def with_repeated(tasks: QuerySet[Task], today: datetime.date) -> QuerySet[Task]:
    """``tasks`` annotated with ``repeated_after`` and ``extended`` (an approved extension)."""
    extended = Extension.objects.filter(task_id=OuterRef("pk"), status=ExtensionStatus.APPROVED)
    return tasks.annotate(repeated_after=repeated_after_expression(), extended=Exists(extended))


def repeatedly_overdue(tasks: QuerySet[Task], today: datetime.date) -> QuerySet[Task]:
    return with_repeated(tasks, today).filter(repeatedly_overdue_q(today))


def laggards_for(user: User | AnonymousUser, *, committee: Unit | None = None) -> QuerySet[Task]:
    """The repeatedly overdue tasks of the committees ``user`` oversees, the oldest deadline
    first."""
    tasks = overseen_tasks_for(user)
    if committee is not None:
        tasks = tasks.filter(committee=committee)
    return (
        repeatedly_overdue(tasks, clock.today())
        .select_related("lead_unit", "committee", "assigned_by")
        .order_by("deadline", "pk")
    )


def overseen_committees(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose tasks ``user`` oversees (Office, leaders)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    from caicach.core.models import Role
    from caicach.deliberation.consultations.rules import LEADER_ROLES

    scope = who.scope_units(Role.OFFICE_OFFICER)
    if scope is None:
        return committees
    return committees.filter(Q(pk__in=scope) | Q(pk__in=who.units_with_role(*LEADER_ROLES)))


def office_committees(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose Office ``user`` works in (the twin of ``oversight.urge_in``)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    from caicach.core.models import Role

    scope = who.scope_units(Role.OFFICE_OFFICER)
    return committees if scope is None else committees.filter(pk__in=scope)


def home_committee(user: User | AnonymousUser, committees: QuerySet[Unit]) -> Unit | None:
    """Which of ``committees`` a page opens on: the user's own, else the first."""
    who = principal(user)
    if who is not None and who.unit_ids:
        own = committees.filter(pk__in=jurisdictions_of(who.unit_ids)).first()
        if own is not None:
            return own
    return committees.first()


# --- Urging a unit ------------------------------------------------------------------------------


def overdue_tasks_of(committee: Unit | int, unit: Unit | int, today: datetime.date) -> QuerySet[Task]:
    """The unit's overdue tasks assigned by the committee, the oldest deadline first."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        Task.objects.filter(overdue_q(today), committee_id=committee_id, lead_unit_id=unit_id)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )


@dataclass(frozen=True)
class UnitOverdue:
    unit: Unit
    count: int


def units_with_overdue(committee: Unit, today: datetime.date) -> list[UnitOverdue]:
    """The units with overdue tasks of ``committee``, most overdue tasks first (one query)."""
    from django.db.models import Count

    counts = (
        Task.objects.filter(overdue_q(today), committee=committee)
        .values("lead_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_unit = {row["lead_unit"]: row["n"] for row in counts}
    units = Unit.objects.filter(pk__in=list(by_unit)).order_by("code")
    rows = [UnitOverdue(unit=unit, count=by_unit[unit.pk]) for unit in units]
    return sorted(rows, key=lambda row: -row.count)


def source_words(task: Task) -> str:
    """How a document names a task's source: "Văn bản số 12/TB-UBND ngày 05/3/2024"…"""
    day = f"{task.source_date:%d/%m/%Y}"
    if task.source == TaskSource.DOCUMENT:
        number = f" số {task.source_reference}" if task.source_reference else ""
        return f"Văn bản{number} ngày {day}"
    if task.source == TaskSource.CONCLUSION:
        title = f" {task.source_title}" if task.source_title else ""
        return f"Kết luận phiên họp{title} ngày {day}".replace("  ", " ")
    return f"Chỉ đạo trực tiếp của lãnh đạo ngày {day}"


def task_line(number: int, task: Task, today: datetime.date) -> str:
    """One task as the default body of an urging notice lists it (Vietnamese whatever the
    UI language: it goes into the document)."""
    content = task.content.strip().rstrip(".;")
    return (
        f"{number}. {content} (nguồn: {source_words(task)}); thời hạn: {task.deadline:%d/%m/%Y}; "
        f"quá hạn {days_overdue(task.deadline, today)} ngày làm việc."
    )


REPORT_WITHIN_WORKING_DAYS = 5


def default_body(committee: Unit, unit: Unit, tasks: list[Task], today: datetime.date) -> str:
    """The default text of an urging notice: the tasks, then what is asked and by when."""
    from caicach.core.rendering import committee_short

    short = committee_short(committee.name)
    report_by = calendar.add_working_days(today, REPORT_WITHIN_WORKING_DAYS)
    lines = [
        f"Theo dõi tình hình thực hiện các nhiệm vụ do {short}, Chủ tịch {short} giao, đến ngày "
        f"{today:%d/%m/%Y}, {unit.name} còn {len(tasks)} nhiệm vụ đã quá thời hạn nhưng chưa hoàn "
        "thành, cụ thể như sau:",
        *(task_line(number, task, today) for number, task in enumerate(tasks, start=1)),
        f"{short} yêu cầu Thủ trưởng {unit.name} khẩn trương chỉ đạo hoàn thành các nhiệm vụ nêu trên; "
        f"báo cáo kết quả thực hiện về {short} (qua Văn phòng) trước ngày {report_by:%d/%m/%Y}. Trường "
        "hợp chưa hoàn thành, báo cáo rõ lý do, trách nhiệm của tập thể, cá nhân có liên quan và đề xuất "
        "thời hạn hoàn thành./.",
    ]
    return "\n".join(lines)


# --- The home page ------------------------------------------------------------------------------


def unit_tasks(user: User, limit: int) -> TodoEntry | None:
    """ "Nhiệm vụ của đơn vị": the open tasks of the units where ``user`` is head or staff,
    overdue first, then by the nearest deadline; each with its deadline in working days."""
    where = open_tasks_of_units_of(user)
    if where == NOTHING:
        return None
    today = clock.today()
    tasks = (
        Task.objects.filter(where)
        .select_related("lead_unit")
        .only("pk", "content", "deadline", "lead_unit__name", "lead_unit__short_name")
        .order_by("deadline", "pk")  # the earliest deadline first: overdue ones come first
        # How many are overdue, over the whole result, in the same query as the count.
        .annotate(late_total=Window(Sum(Case(When(deadline__lt=today, then=1), default=0))))
    )
    count, rows = count_and_first(tasks, limit)
    late = int(rows[0].late_total) if rows else 0
    items = []
    for task in rows:
        unit = task.lead_unit.short_name or task.lead_unit.name
        if task.deadline < today:
            detail = _("%(unit)s, quá hạn %(days)s ngày làm việc (hạn %(day)s)") % {
                "unit": unit,
                "days": days_overdue(task.deadline, today),
                "day": f"{task.deadline:%d/%m/%Y}",
            }
        else:
            detail = _("%(unit)s, còn %(days)s ngày làm việc (hạn %(day)s)") % {
                "unit": unit,
                "days": calendar.working_days_between(today, task.deadline),
                "day": f"{task.deadline:%d/%m/%Y}",
            }
        items.append(
            TodoItem(
                label=task.content[:120],
                url=task.get_absolute_url(),
                detail=detail,
                late=task.deadline < today,
            )
        )
    return TodoEntry(
        key="oversight.unit_tasks",
        title=gettext_lazy("Nhiệm vụ của đơn vị"),
        count=count,
        items=items,
        more_url=reverse("oversight:task_list"),
        late_count=late,
    )
