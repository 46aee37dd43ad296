"""Who may see and do what with a meeting's invitation (Giấy mời) and conclusion notice
(Thông báo kết luận).

- The Office covering the committee drafts both documents (text, recipients, the signer,
  the conclusion's points); the services refuse, saying why, once the meeting's state no
  longer allows it.
- The committee's leaders (CHAIRMAN, LEADER) see the drafts too.
- Whoever signs approves (as a directive is issued by the leader who signs it): only the
  signer chosen on the draft issues it — the Chairman or a Vice-chairman, or the Chief of
  the Office (its head, or an Office officer so titled) signing "TL. CHỦ TỊCH" where that
  is the province's habit. The Office's head also sees the drafts.
- The committee's members, the invited units and the units leading an agenda item see the
  documents once issued; anybody else gets 404.

Action names carry the area's prefix: the meetings area keeps Meeting's plain ``view``.
``meetings_with_notices_for`` is the database-side twin of ``notices.view``; a test keeps
the pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.core.permissions import Principal, principal, rule
from caicach.deliberation.consultations.rules import (
    LEADER_ROLES,
    MEMBER_ROLES,
    leads_committee,
    office_covers,
)
from caicach.deliberation.models import AgendaItem, Invitee, Meeting, MeetingDocument


def _member_of(who: Principal, committee_id: int) -> bool:
    return committee_id in who.units_with_role(*MEMBER_ROLES)


def heads_office(who: Principal, committee_id: int) -> bool:
    """The head of the committee's Office (its Chief, who signs "TL. CHỦ TỊCH")."""
    held = who.units_with_role(Role.UNIT_HEAD)
    return (
        bool(held) and Unit.objects.filter(pk__in=held, parent_id=committee_id, kind=UnitKind.OFFICE).exists()
    )


def sees_drafts(who: Principal, meeting: Meeting) -> bool:
    committee_id = meeting.committee_id
    return (
        who.is_admin
        or office_covers(who, committee_id)
        or leads_committee(who, committee_id)
        or heads_office(who, committee_id)
    )


@rule(Meeting, "notices.view")
def _view(who: Principal, meeting: Meeting) -> bool:
    if sees_drafts(who, meeting) or _member_of(who, meeting.committee_id):
        return True
    units = who.unit_ids
    return (
        Invitee.objects.filter(meeting=meeting, unit_id__in=units).exists()
        or AgendaItem.objects.filter(meeting=meeting, lead_unit_id__in=units).exists()
    )


@rule(Meeting, "notices.view_drafts")
def _view_drafts(who: Principal, meeting: Meeting) -> bool:
    return sees_drafts(who, meeting)


@rule(Meeting, "notices.draft")
def _draft(who: Principal, meeting: Meeting) -> bool:
    # Whether the meeting's state still allows it (cancelled, already invited…) is the
    # services' check, so the refusal says why.
    return who.is_admin or office_covers(who, meeting.committee_id)


@rule(MeetingDocument, "notices.issue")
def _issue(who: Principal, document: MeetingDocument) -> bool:
    """The chosen signer, while still a leader of the committee or an Office officer for it."""
    if document.registered_document_id is not None or document.signer_id != who.user.pk:
        return False
    committee_id = document.meeting.committee_id
    return (
        leads_committee(who, committee_id)
        or (who.has_role(Role.OFFICE_OFFICER) and office_covers(who, committee_id))
        or heads_office(who, committee_id)
    )


def meetings_with_notices_for(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The meetings whose documents ``user`` may see: the twin of ``notices.view``."""
    who = principal(user)
    meetings = Meeting.objects.select_related("committee", "chair")
    if who is None:
        return meetings.none()
    if who.is_admin:
        return meetings
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return meetings
    units = sorted(who.unit_ids)
    return meetings.filter(
        Q(committee__in=office_scope)
        | Q(committee__in=who.units_with_role(*LEADER_ROLES, *MEMBER_ROLES))
        | Q(
            committee__in=Unit.objects.filter(
                pk__in=who.units_with_role(Role.UNIT_HEAD), kind=UnitKind.OFFICE
            ).values("parent_id")
        )
        | Q(pk__in=Invitee.objects.filter(unit_id__in=units).values("meeting_id"))
        | Q(pk__in=AgendaItem.objects.filter(lead_unit_id__in=units).values("meeting_id"))
    )
