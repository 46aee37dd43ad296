"""Who may urge, read urging notices and change the urging settings (issue 14, point 4).

- The committee's Office (OFFICE_OFFICER within its jurisdiction) drafts urging notices to a
  unit about its overdue tasks, keeps the committee's follow-up settings and reads the list
  of repeatedly overdue tasks.
- A leader of the committee (CHAIRMAN, LEADER) reads everything of the committee and signs:
  whoever signs an urging notice issues it (the directive's pattern).
- The urged unit (anyone working there) sees the notice once it is issued.
- Anybody else gets 404.

The task rules themselves (who sees a task) belong to the follow-up area; this area only
adds its own actions. ``notices_for`` / ``laggard_tasks_for`` are the list twins of the
``view`` rule of UrgingNotice and of ``oversight.laggards``; a test keeps them in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, principal, rule
from caicach.core.todos import NOTHING
from caicach.deliberation.consultations.rules import LEADER_ROLES, leads_committee, office_covers
from caicach.oversight.models import OPEN_STATUSES, Task, UrgingNotice

UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def keeps(who: Principal, committee_id: int) -> bool:
    """The Office of the committee (or an administrator)."""
    return office_covers(who, committee_id)


def oversees(who: Principal, committee_id: int) -> bool:
    """The Office and the committee's leaders."""
    return office_covers(who, committee_id) or leads_committee(who, committee_id)


@global_rule("oversight.view_laggards", "oversight.view_notices")
def _view_laggards(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.OFFICE_OFFICER, *LEADER_ROLES))


@global_rule("oversight.urge")
def _urge(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@rule(Unit, "oversight.urge_in", "oversight.settings")
def _office_of_committee(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and keeps(who, unit.pk)


@rule(Unit, "oversight.laggards_of")
def _laggards_of(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and oversees(who, unit.pk)


@rule(UrgingNotice, "view", "download")
def _view_notice(who: Principal, notice: UrgingNotice) -> bool:
    if oversees(who, notice.committee_id):
        return True
    return notice.registered_document_id is not None and notice.unit_id in who.unit_ids


@rule(UrgingNotice, "change")
def _change_notice(who: Principal, notice: UrgingNotice) -> bool:
    return notice.registered_document_id is None and keeps(who, notice.committee_id)


@rule(UrgingNotice, "issue")
def _issue_notice(who: Principal, notice: UrgingNotice) -> bool:
    return notice.registered_document_id is None and leads_committee(who, notice.committee_id)


def notices_for(user: User | AnonymousUser) -> QuerySet[UrgingNotice]:
    """The urging notices ``user`` may see: the twin of UrgingNotice's ``view`` rule."""
    who = principal(user)
    notices = UrgingNotice.objects.select_related("committee", "unit", "registered_document")
    if who is None:
        return notices.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return notices
    return notices.filter(
        Q(committee__in=office_scope)
        | Q(committee__in=who.units_with_role(*LEADER_ROLES))
        | Q(registered_document__isnull=False, unit__in=who.unit_ids)
    )


def overseen_tasks_for(user: User | AnonymousUser) -> QuerySet[Task]:
    """The tasks of the committees ``user`` oversees (Office, leaders): the twin of the Unit
    rule ``oversight.laggards_of`` applied to each task's committee."""
    who = principal(user)
    tasks = Task.objects.all()
    if who is None:
        return tasks.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return tasks
    return tasks.filter(
        Q(committee__in=office_scope, committee__kind__in=COMMITTEE_KINDS)
        | Q(committee__in=who.units_with_role(*LEADER_ROLES))
    )


def open_tasks_of_units_of(user: User | AnonymousUser) -> Q:
    """The open tasks led by the units where ``user`` is head or staff (the home to-do)."""
    who = principal(user)
    held = who.units_with_role(*UNIT_ROLES) if who is not None else set()
    if not held:
        return NOTHING
    return Q(status__in=OPEN_STATUSES, lead_unit__in=sorted(held))
