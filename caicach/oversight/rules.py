"""Who may see and do what with assigned tasks (issue 14; the app's rules, shared by the
follow-up, urging and statistics areas).

- The committee's Office (OFFICE_OFFICER with the committee in its jurisdiction) manages the
  committee's tasks: creates, edits while open, cancels, and may decide an extension "on
  delegation" of the assigning leader (the decision records who decided).
- The committee's leaders (CHAIRMAN, LEADER) see every task of their committee; the leader
  who assigned a task decides its extensions and may cancel it.
- The lead unit: anyone working there sees its tasks; its head and staff report progress,
  mark the task done and ask for extensions.
- Coordinating units see the tasks they coordinate, read-only (they report to the lead unit,
  which reports for the task: one task, one accountable lead).
- Anybody else gets 404.

``tasks_for`` is the database-side twin of Task's ``view`` rule; a test keeps them in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, principal, rule
from caicach.deliberation.models import Meeting
from caicach.oversight.models import (
    OPEN_STATUSES,
    DeadlineKind,
    Extension,
    ExtensionStatus,
    Task,
    TaskProgress,
    TaskStatus,
)

LEADER_ROLES = (Role.CHAIRMAN, Role.LEADER)
UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def office_covers(who: Principal, committee_id: int) -> bool:
    scope = who.scope_unit_ids(Role.OFFICE_OFFICER)
    return scope is None or committee_id in scope


def leads_committee(who: Principal, committee_id: int) -> bool:
    return committee_id in who.units_with_role(*LEADER_ROLES)


def acts_for_lead(who: Principal, task: Task) -> bool:
    """The lead unit's head or staff (an administrator too)."""
    return who.is_admin or task.lead_unit_id in who.units_with_role(*UNIT_ROLES)


def coordinates(who: Principal, task: Task) -> bool:
    units = who.unit_ids
    if not units:
        return False
    return task.coordinating_units.filter(pk__in=units).exists()


@global_rule("oversight.view_tasks")
def _view_tasks(who: Principal) -> bool:
    # Anyone signed in may open the list; it shows only what they may see.
    return True


@global_rule("oversight.create_task")
def _create_task(who: Principal) -> bool:
    # Which committee they may pick is checked by the service (``Unit`` "oversight.assign").
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@rule(Unit, "oversight.assign")
def _assign_in(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and office_covers(who, unit.pk)


@rule(Task, "view")
def _view_task(who: Principal, task: Task) -> bool:
    if office_covers(who, task.committee_id) or leads_committee(who, task.committee_id):
        return True
    if task.lead_unit_id in who.unit_ids:
        return True
    return coordinates(who, task)


@rule(Extension, "view_task")
def _view_extension(who: Principal, extension: Extension) -> bool:
    return _view_task(who, extension.task)


@rule(TaskProgress, "view")
def _view_progress(who: Principal, note: TaskProgress) -> bool:
    return _view_task(who, note.task)


@rule(Meeting, "oversight.assign_from")
def _assign_from(who: Principal, meeting: Meeting) -> bool:
    """Tasks from a meeting's conclusion: the Office covering its committee."""
    return office_covers(who, meeting.committee_id)


@rule(Task, "change")
def _change(who: Principal, task: Task) -> bool:
    return task.status in OPEN_STATUSES and office_covers(who, task.committee_id)


@rule(Task, "cancel")
def _cancel(who: Principal, task: Task) -> bool:
    return task.status in OPEN_STATUSES and (
        task.assigned_by_id == who.user.pk or office_covers(who, task.committee_id)
    )


@rule(Task, "report")
def _report(who: Principal, task: Task) -> bool:
    """Progress notes and "done": the lead unit's head or staff."""
    return task.status in OPEN_STATUSES and acts_for_lead(who, task)


@rule(Task, "request_extension")
def _request_extension(who: Principal, task: Task) -> bool:
    # Whether the deadline has passed is the service's refusal (a message, not a 404).
    return task.status in OPEN_STATUSES and acts_for_lead(who, task)


@rule(Task, "repeat")
def _repeat(who: Principal, task: Task) -> bool:
    """A recurring task's next period, once this one is done: the Office."""
    return (
        task.status == TaskStatus.DONE
        and task.deadline_kind in (DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY)
        and office_covers(who, task.committee_id)
    )


def decides_extensions(who: Principal, task: Task) -> bool:
    return task.assigned_by_id == who.user.pk or office_covers(who, task.committee_id)


@rule(Extension, "decide")
def _decide(who: Principal, extension: Extension) -> bool:
    return extension.status == ExtensionStatus.PENDING and decides_extensions(who, extension.task)


def tasks_for(user: User | AnonymousUser) -> QuerySet[Task]:
    """The tasks ``user`` may see: the twin of Task's ``view`` rule."""
    who = principal(user)
    tasks = Task.objects.select_related("committee", "lead_unit", "assigned_by")
    if who is None:
        return tasks.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return tasks
    units = who.unit_ids
    coordinated = Task.coordinating_units.through.objects.filter(unit_id__in=units).values("task_id")
    return tasks.filter(
        Q(committee__in=office_scope)
        | Q(committee__in=who.units_with_role(*LEADER_ROLES))
        | Q(lead_unit__in=units)
        | Q(pk__in=coordinated)
    )


def pending_extensions_for(user: User | AnonymousUser) -> QuerySet[Extension] | None:
    """The extension requests waiting for ``user``'s decision (the ``decide`` rule as a
    query); None without a leader's or the Office's role (cheap, no query)."""
    who = principal(user)
    if who is None:
        return None
    pending = Extension.objects.filter(status=ExtensionStatus.PENDING)
    # An administrator may decide (the rule lets them) but has no to-do of it: the home page
    # lists the work of one's roles, and an admin's home stays a fixed few queries.
    has_office = who.has_role(Role.OFFICE_OFFICER)
    if not has_office and not who.units_with_role(*LEADER_ROLES):
        return None
    condition = Q(task__assigned_by_id=who.user.pk)
    if has_office:
        condition |= Q(task__committee__in=who.scope_units(Role.OFFICE_OFFICER))
    return pending.filter(condition)
