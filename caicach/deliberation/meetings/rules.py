"""Who may see and do what with the committee's meetings (seed 001, the Working Regulations).

- The committee's Office (OFFICE_OFFICER within its jurisdiction) schedules and manages the
  meetings of the committees it covers: agenda, invitees, attendance.
- The committee's leaders and members (CHAIRMAN, LEADER, COMMITTEE_MEMBER of the committee)
  see every meeting of their committee.
- A lead unit sees the meetings where it has an agenda item (only those) and its own items.
- An invited unit sees the meeting it is invited to.
- Anybody else gets 404.

``meetings_for`` and ``agenda_items_for`` are the database-side twins of the ``view`` rules
of Meeting and AgendaItem; a test keeps each pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, principal, rule
from caicach.core.todos import NOTHING
from caicach.deliberation.consultations.rules import LEADER_ROLES, MEMBER_ROLES, office_covers
from caicach.deliberation.models import AgendaItem, AgendaStatus, Invitee, Meeting, MeetingStatus

# A meeting still being prepared: its details, agenda and invitees may change.
OPEN_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.INVITED)
# Agenda items the Office may still edit, move or remove.
EDITABLE_ITEMS = (AgendaStatus.PROPOSED, AgendaStatus.ON_AGENDA)


def sits_on(who: Principal, committee_id: int) -> bool:
    """The committee's leaders and members (no query)."""
    return committee_id in who.units_with_role(*MEMBER_ROLES)


def insider(who: Principal, committee_id: int) -> bool:
    """The Office covering the committee, its leaders and members: they see every meeting."""
    return office_covers(who, committee_id) or sits_on(who, committee_id)


@global_rule("deliberation.view_meetings")
def _view_meetings(who: Principal) -> bool:
    # Anyone signed in may open the list; it shows only what they may see.
    return True


@global_rule("deliberation.create_meeting")
def _create_meeting(who: Principal) -> bool:
    # Which committee they may pick is checked by the service (``Unit`` "deliberation.schedule").
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@global_rule("deliberation.view_attendance")
def _view_attendance(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.OFFICE_OFFICER, *LEADER_ROLES))


@rule(Unit, "deliberation.schedule")
def _schedule_in(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and office_covers(who, unit.pk)


@rule(Meeting, "view")
def _view_meeting(who: Principal, meeting: Meeting) -> bool:
    if insider(who, meeting.committee_id):
        return True
    units = who.unit_ids
    if not units:
        return False
    return (
        meeting.agenda_items.filter(lead_unit_id__in=units).exists()
        or meeting.invitees.filter(unit_id__in=units).exists()
    )


@rule(Meeting, "change", "cancel", "hold")
def _manage_meeting(who: Principal, meeting: Meeting) -> bool:
    return meeting.status in OPEN_STATUSES and office_covers(who, meeting.committee_id)


@rule(Meeting, "invite")
def _invite(who: Principal, meeting: Meeting) -> bool:
    return meeting.status != MeetingStatus.CANCELLED and office_covers(who, meeting.committee_id)


@rule(AgendaItem, "view")
def _view_agenda_item(who: Principal, item: AgendaItem) -> bool:
    return insider(who, item.meeting.committee_id) or item.lead_unit_id in who.unit_ids


@rule(AgendaItem, "change")
def _change_agenda_item(who: Principal, item: AgendaItem) -> bool:
    meeting = item.meeting
    return (
        item.status in EDITABLE_ITEMS
        and meeting.status in OPEN_STATUSES
        and office_covers(who, meeting.committee_id)
    )


@rule(Invitee, "record")
def _record(who: Principal, invitee: Invitee) -> bool:
    meeting = invitee.meeting
    return meeting.status != MeetingStatus.CANCELLED and office_covers(who, meeting.committee_id)


def meetings_for(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The meetings ``user`` may see: the twin of Meeting's ``view`` rule."""
    who = principal(user)
    meetings = Meeting.objects.select_related("committee", "chair")
    if who is None:
        return meetings.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return meetings
    units = sorted(who.unit_ids)
    leading = AgendaItem.objects.filter(lead_unit_id__in=units).values("meeting_id")
    invited = Invitee.objects.filter(unit_id__in=units).values("meeting_id")
    return meetings.filter(
        Q(committee__in=office_scope)
        | Q(committee__in=who.units_with_role(*MEMBER_ROLES))
        | Q(pk__in=leading)
        | Q(pk__in=invited)
    )


def agenda_items_for(user: User | AnonymousUser) -> QuerySet[AgendaItem]:
    """The agenda items ``user`` may see: the twin of AgendaItem's ``view`` rule."""
    who = principal(user)
    items = AgendaItem.objects.select_related("meeting", "meeting__committee", "lead_unit")
    if who is None:
        return items.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return items
    return items.filter(
        Q(meeting__committee__in=office_scope)
        | Q(meeting__committee__in=who.units_with_role(*MEMBER_ROLES))
        | Q(lead_unit__in=sorted(who.unit_ids))
    )


def prepared_by_office_of(user: User | AnonymousUser) -> Q:
    """The open meetings of the committees ``user``'s Office covers (the ``change`` rule)."""
    who = principal(user)
    if who is None or not who.units_with_role(Role.OFFICE_OFFICER):
        return NOTHING
    return Q(status__in=OPEN_STATUSES, committee__in=who.scope_units(Role.OFFICE_OFFICER))


def attendance_scope(user: User | AnonymousUser) -> Q:
    """The meetings whose attendance ``user`` may count: the Office's and the leaders'."""
    who = principal(user)
    if who is None:
        return NOTHING
    scope = who.scope_units(Role.OFFICE_OFFICER)
    if scope is None:
        return Q()
    return Q(committee__in=scope) | Q(committee__in=who.units_with_role(*LEADER_ROLES))
