"""Reads of a meeting's invitation and conclusion notice: the drafts, who may sign, the rows
the documents print, the meeting page's panel, and the issued conclusion's points for the
oversight app (issue 14) to turn into tasks."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.models import Membership, Role, Unit, UnitKind, User
from caicach.core.permissions import can, principal, units_answering_to
from caicach.core.text import fold
from caicach.core.todos import TodoEntry, TodoItem, count_and_first
from caicach.deliberation.consultations.queries import committee_members
from caicach.deliberation.consultations.rules import LEADER_ROLES, UNIT_ROLES
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    ConclusionPoint,
    Invitee,
    Meeting,
    MeetingDocument,
    MeetingDocumentKind,
    MeetingStatus,
)

INVITATION = MeetingDocumentKind.INVITATION
CONCLUSION = MeetingDocumentKind.CONCLUSION
# The positions that sign "TL. CHỦ TỊCH" for the Office (folded).
OFFICE_SIGNING_POSITIONS = ("chanh van phong", "pho chanh van phong")


def document_of(meeting: Meeting, kind: str) -> MeetingDocument | None:
    return (
        MeetingDocument.objects.select_related("registered_document", "signer")
        .filter(meeting=meeting, kind=kind)
        .first()
    )


def invitation_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The items the invitation lists: all but the withdrawn, in the agenda's order."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(status=AgendaStatus.WITHDRAWN)
        .select_related("lead_unit")
        .order_by("position", "id")
    )


def invitees_of(meeting: Meeting) -> list[Invitee]:
    return list(Invitee.objects.filter(meeting=meeting).select_related("unit").order_by("unit__name", "id"))


def points_of(meeting: Meeting) -> list[ConclusionPoint]:
    """The conclusion's points with what they print: three queries whatever their number."""
    return list(
        ConclusionPoint.objects.filter(meeting=meeting)
        .select_related("lead_unit", "agenda_item")
        .prefetch_related(Prefetch("coordinating_units", queryset=Unit.objects.order_by("name")))
        .order_by("position", "id")
    )


def committee_units(committee_id: int) -> QuerySet[Unit]:
    """The units a conclusion may task: those answering to the committee."""
    return (
        Unit.objects.filter(pk__in=units_answering_to(committee_id)).exclude(pk=committee_id).order_by("name")
    )


def offices_of(committee_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(parent_id=committee_id, kind=UnitKind.OFFICE)


def signer_candidates(committee: Unit) -> list[User]:
    """Who may sign the committee's meeting documents: its Chairman and Vice-chairmen, and
    the Chief (or a Deputy Chief) of its Office, who signs "TL. CHỦ TỊCH" where that is the
    province's habit. One query."""
    held = Membership.objects.filter(is_active=True).filter(
        Q(unit_id=committee.pk, role__in=LEADER_ROLES)
        | Q(
            unit__parent_id=committee.pk,
            unit__kind=UnitKind.OFFICE,
            role__in=(Role.OFFICE_OFFICER, Role.UNIT_HEAD),
        )
    )
    users = User.objects.filter(pk__in=held.values("user_id"), is_active=True).order_by("full_name", "pk")
    leaders = set(
        Membership.objects.filter(unit_id=committee.pk, role__in=LEADER_ROLES, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        user
        for user in users
        if user.pk in leaders or fold(user.position).startswith(OFFICE_SIGNING_POSITIONS)
    ]


def office_signs(signer: User | None, committee_id: int) -> bool:
    """The signer signs for the Office ("TL. CHỦ TỊCH") rather than as a leader."""
    if signer is None:
        return False
    return not Membership.objects.filter(
        user=signer, unit_id=committee_id, role__in=LEADER_ROLES, is_active=True
    ).exists()


def meeting_has_taken_place(meeting: Meeting, today: datetime.date | None = None) -> bool:
    """The conclusion may be written once the meeting is held: marked held by the Office, or
    invited and its day has come (the Office need not mark it held first)."""
    day = today or clock.today()
    return meeting.status == MeetingStatus.HELD or (
        meeting.status == MeetingStatus.INVITED and meeting.date <= day
    )


def invitation_recipients(meeting: Meeting) -> QuerySet[User]:
    """Who is told of an issued invitation: the committee's members, and the heads of the
    invited units (their staff where a unit has no head)."""
    units = list(Invitee.objects.filter(meeting=meeting).values_list("unit_id", flat=True))
    rows = Membership.objects.filter(
        unit_id__in=units, role__in=UNIT_ROLES, is_active=True, user__is_active=True
    ).values_list("unit_id", "role", "user_id")
    heads: dict[int, set[int]] = {}
    staff: dict[int, set[int]] = {}
    for unit_id, role, user_id in rows:
        (heads if role == Role.UNIT_HEAD else staff).setdefault(unit_id, set()).add(user_id)
    people: set[int] = set()
    for unit_id in units:
        people |= heads.get(unit_id, staff.get(unit_id, set()))
    members = committee_members(meeting.committee_id).values("pk")
    return User.objects.filter(Q(pk__in=sorted(people)) | Q(pk__in=members), is_active=True).order_by("pk")


def notice_recipients(points: list[ConclusionPoint]) -> QuerySet[User]:
    """Who is told of an issued conclusion: the heads (else staff) of the units it tasks."""
    units: set[int] = set()
    for point in points:
        if point.lead_unit_id:
            units.add(point.lead_unit_id)
        units |= {unit.pk for unit in point.coordinating_units.all()}
    held = Membership.objects.filter(unit_id__in=sorted(units), role=Role.UNIT_HEAD, is_active=True).values(
        "user_id"
    )
    return User.objects.filter(pk__in=held, is_active=True).order_by("pk")


def conclusion_points_for_tasks(meeting: Meeting) -> list[ConclusionPoint]:
    """The points of the meeting's issued conclusion notice, in order, with their lead and
    coordinating units and agenda items: what the oversight app turns into assigned tasks.
    Empty until the notice is issued (a draft's points may still change)."""
    issued = MeetingDocument.objects.filter(
        meeting=meeting, kind=CONCLUSION, registered_document__isnull=False
    ).exists()
    return points_of(meeting) if issued else []


def _document_row(
    meeting: Meeting, document: MeetingDocument | None, kind: str, user: User
) -> dict[str, Any]:
    issued = document is not None and document.registered_document_id is not None
    base = "deliberation:invitation" if kind == INVITATION else "deliberation:conclusion"
    return {
        "document": document,
        "issued": issued,
        "reference": document.registered_document.reference
        if document is not None and document.registered_document is not None
        else "",
        "edit_url": reverse(f"{base}_edit", args=[meeting.pk]),
        "preview_url": reverse(f"{base}_preview", args=[meeting.pk]),
        "download_url": reverse(f"{base}_download", args=[meeting.pk]) if issued else "",
        "may_issue": bool(document is not None and not issued and can(user, "notices.issue", document)),
    }


def meeting_panel(meeting: Meeting, user: User) -> dict[str, Any]:
    """What the meeting's page shows of its documents: each document's state and links, and
    the conclusion's points in short. Three queries whatever the number of points (the
    documents, the points with their units, the permission's memberships)."""
    if not can(user, "notices.view", meeting):
        return {"notices": None}
    documents = {
        document.kind: document
        for document in MeetingDocument.objects.filter(meeting=meeting).select_related(
            "registered_document", "signer", "meeting"
        )
    }
    points = list(
        ConclusionPoint.objects.filter(meeting=meeting).select_related("lead_unit").order_by("position", "id")
    )
    sees_drafts = can(user, "notices.view_drafts", meeting)
    invitation = _document_row(meeting, documents.get(INVITATION), INVITATION, user)
    conclusion = _document_row(meeting, documents.get(CONCLUSION), CONCLUSION, user)
    return {
        "notices": {
            "invitation": invitation,
            "conclusion": conclusion,
            "points": points if sees_drafts or conclusion["issued"] else [],
            "sees_drafts": sees_drafts,
            "may_draft": can(user, "notices.draft", meeting),
            "taken_place": meeting_has_taken_place(meeting),
        }
    }


def invitation_url(meeting: Meeting) -> str:
    return reverse("deliberation:invitation_edit", args=[meeting.pk])


def conclusion_url(meeting: Meeting) -> str:
    return reverse("deliberation:conclusion_edit", args=[meeting.pk])


def meeting_url(meeting: Meeting) -> str:
    return meeting.get_absolute_url()


SIGNING_ROLES = (*LEADER_ROLES, Role.OFFICE_OFFICER, Role.UNIT_HEAD)


def documents_to_sign(user: User, limit: int) -> TodoEntry | None:
    """The meeting documents waiting for ``user``'s signature: drafts naming them as signer,
    of meetings still going on. None without a role that may sign (no query)."""
    who = principal(user)
    if who is None or not who.units_with_role(*SIGNING_ROLES):
        return None
    documents = (
        MeetingDocument.objects.filter(signer_id=user.pk, registered_document__isnull=True)
        .exclude(meeting__status__in=(MeetingStatus.CANCELLED, MeetingStatus.CONCLUDED))
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    )
    count, rows = count_and_first(documents, limit)
    if not count:
        return None
    items = [
        TodoItem(
            label=f"{document.get_kind_display()}: {document.meeting.title}",
            url=invitation_url(document.meeting)
            if document.kind == INVITATION
            else conclusion_url(document.meeting),
            detail=_("Ngày họp: %(day)s") % {"day": f"{document.meeting.date:%d/%m/%Y}"},
        )
        for document in rows
    ]
    return TodoEntry(
        key="deliberation.to_sign", title=gettext_lazy("Văn bản phiên họp chờ ký"), count=count, items=items
    )
