"""Who may see and do what with meeting dossiers (seed 001, the Working Regulations).

- The committee's Office (OFFICE_OFFICER within its jurisdiction) keeps every agenda item's
  dossier checklist: it marks each part received (with the file), missing, or back to
  pending, and adds required lines; it sees the proposed withdrawal list and records the
  chair's decision on it.
- The committee's leaders (CHAIRMAN, LEADER) see every dossier of their committee's
  meetings and the withdrawal list; the meeting's chair decides on the items listed.
- The lead unit (anyone working there) sees its own items' checklists and their status;
  the Office marks what arrived (the signed and stamped dossier reaches the Office).
- Anybody else, committee members included, gets 404.

``dossier_items_for`` is the database-side twin of AgendaItem's ``view_dossier`` rule;
``withdrawal_committees_for`` the twin of the Unit rule ``deliberation.withdrawal_list``;
a test keeps each pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, principal, rule
from caicach.core.todos import NOTHING
from caicach.deliberation.consultations.rules import LEADER_ROLES, leads_committee, office_covers
from caicach.deliberation.models import AgendaItem, AgendaStatus, DossierEntry, Meeting, MeetingStatus

# A meeting still ahead: its dossiers are kept and its withdrawal list is open.
OPEN_MEETING_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.INVITED)
# Agenda items whose dossier is still being gathered.
OPEN_ITEM_STATUSES = (AgendaStatus.PROPOSED, AgendaStatus.ON_AGENDA)


def keeps_dossiers(who: Principal, meeting: Meeting) -> bool:
    return office_covers(who, meeting.committee_id)


def chairs(who: Principal, meeting: Meeting) -> bool:
    return meeting.chair_id is not None and meeting.chair_id == who.user.pk


@rule(AgendaItem, "view_dossier")
def _view_dossier(who: Principal, item: AgendaItem) -> bool:
    meeting = item.meeting
    return (
        office_covers(who, meeting.committee_id)
        or leads_committee(who, meeting.committee_id)
        or chairs(who, meeting)
        or item.lead_unit_id in who.unit_ids
    )


@rule(AgendaItem, "mark_dossier")
def _mark_dossier(who: Principal, item: AgendaItem) -> bool:
    """The Office records what reached it, while the meeting is ahead and the item on it."""
    meeting = item.meeting
    return (
        meeting.status in OPEN_MEETING_STATUSES
        and item.status in OPEN_ITEM_STATUSES
        and keeps_dossiers(who, meeting)
    )


@rule(AgendaItem, "decide_withdrawal")
def _decide_withdrawal(who: Principal, item: AgendaItem) -> bool:
    """The chair decides on an item of the proposed withdrawal list; the Office records the
    chair's decision. Whether the item is on the list is the service's check (it reads the
    dossier), so a stale click gets a message, not a 404."""
    meeting = item.meeting
    return (
        meeting.status in OPEN_MEETING_STATUSES
        and item.status == AgendaStatus.ON_AGENDA
        and not item.withdrawal_decision
        and (keeps_dossiers(who, meeting) or chairs(who, meeting))
    )


@rule(DossierEntry, "view")
def _view_entry(who: Principal, entry: DossierEntry) -> bool:
    return _view_dossier(who, entry.agenda_item)


@rule(Meeting, "view_withdrawal_list")
def _view_meeting_list(who: Principal, meeting: Meeting) -> bool:
    return (
        office_covers(who, meeting.committee_id)
        or leads_committee(who, meeting.committee_id)
        or chairs(who, meeting)
    )


@rule(Unit, "deliberation.withdrawal_list")
def _view_committee_list(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and (office_covers(who, unit.pk) or leads_committee(who, unit.pk))


def dossier_items_for(user: User | AnonymousUser) -> QuerySet[AgendaItem]:
    """The agenda items whose dossier ``user`` may see: the twin of ``view_dossier``."""
    who = principal(user)
    items = AgendaItem.objects.select_related("meeting", "meeting__committee", "meeting__chair", "lead_unit")
    if who is None:
        return items.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return items
    return items.filter(
        Q(meeting__committee__in=office_scope)
        | Q(meeting__committee__in=who.units_with_role(*LEADER_ROLES))
        | Q(meeting__chair_id=who.user.pk)
        | Q(lead_unit__in=who.unit_ids)
    )


def withdrawal_committees_for(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose withdrawal list ``user`` may read: the twin of the Unit rule."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    scope = who.scope_units(Role.OFFICE_OFFICER)
    if scope is None:
        return committees
    return committees.filter(Q(pk__in=scope) | Q(pk__in=who.units_with_role(*LEADER_ROLES)))


def kept_by_office_of(user: User | AnonymousUser) -> Q:
    """The agenda items of the committees ``user``'s Office covers (the home page's to-do);
    NOTHING, without a query, for anybody who is not in an Office."""
    who = principal(user)
    if who is None or not who.units_with_role(Role.OFFICE_OFFICER):
        return NOTHING
    scope = who.scope_units(Role.OFFICE_OFFICER)
    return Q() if scope is None else Q(meeting__committee__in=scope)
