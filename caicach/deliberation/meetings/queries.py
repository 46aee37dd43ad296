"""Reads of meetings: the chairs a committee may name, the agenda proposed from the work
program, a meeting's agenda and invitees, attendance counted per unit and the Office's
to-do."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.calendar.views import WEEKDAY_NAMES
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.deliberation.consultations.queries import settings_for
from caicach.deliberation.meetings.deadlines import AgendaDeadlines, deadlines_for
from caicach.deliberation.meetings.rules import prepared_by_office_of
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind

CHAIR_ROLES = (Role.CHAIRMAN, Role.LEADER)
# How far ahead the Office's to-do looks for meetings still missing an agenda or invitees.
TODO_WORKING_DAYS = 10


def weekday_name(day: datetime.date) -> str:
    return str(WEEKDAY_NAMES[day.weekday()])


def default_title(kind: str, day: datetime.date) -> str:
    """ "Phiên họp thường kỳ tháng 10/2026" and the like."""
    month = f"{day.month:02d}/{day.year}"
    titles: dict[str, str] = {
        MeetingKind.REGULAR: _("Phiên họp UBND thường kỳ tháng %(month)s"),
        MeetingKind.THEMATIC: _("Phiên họp UBND chuyên đề tháng %(month)s"),
        MeetingKind.PARTY_COMMITTEE: _("Họp Ban cán sự đảng UBND tháng %(month)s"),
        MeetingKind.WORKING_SESSION: _("Phiên làm việc của lãnh đạo UBND tháng %(month)s"),
    }
    return titles.get(kind, titles[MeetingKind.REGULAR]) % {"month": month}


def chairs_of(committee: Unit | int) -> QuerySet[User]:
    """Who may chair the committee's meetings: its Chairman and Vice-chairmen in office."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    held = Membership.objects.filter(unit_id=committee_id, role__in=CHAIR_ROLES, is_active=True)
    return User.objects.filter(pk__in=held.values("user_id"), is_active=True).order_by("full_name", "pk")


def chairs_for_committees(committees: QuerySet[Unit]) -> QuerySet[User]:
    held = Membership.objects.filter(unit__in=committees, role__in=CHAIR_ROLES, is_active=True)
    return User.objects.filter(pk__in=held.values("user_id"), is_active=True).order_by("full_name", "pk")


def agenda_deadlines(meeting: Meeting) -> AgendaDeadlines:
    """The deadlines of every item of ``meeting`` (they depend on its date and kind only)."""
    return deadlines_for(kind=meeting.kind, date=meeting.date, settings=settings_for(meeting.committee_id))


def submission_kinds_for(kind: str) -> tuple[str, ...]:
    """Which program submissions go to which meeting: the Party committee hears the Party
    committee's; the committee's meetings and the leaders' sessions hear the rest."""
    if kind == MeetingKind.PARTY_COMMITTEE:
        return (SubmissionKind.PARTY_COMMITTEE,)
    return (SubmissionKind.COMMITTEE, SubmissionKind.CHAIRMAN)


def proposals(meeting: Meeting) -> QuerySet[ProgramItem]:
    """The program items the Office may put on ``meeting``'s agenda: the committee's own
    programs, due in the meeting's month, not yet submitted or submitted but not yet issued,
    of the submissions this kind of meeting hears, and on no other agenda (unless withdrawn
    from it)."""
    taken = AgendaItem.objects.filter(program_item_id=OuterRef("pk")).exclude(status=AgendaStatus.WITHDRAWN)
    return (
        ProgramItem.objects.filter(
            program__issuing_unit_id=meeting.committee_id,
            due_month=meeting.date.replace(day=1),
            status__in=[ItemStatus.PLANNED, ItemStatus.SUBMITTED],
            submission_kind__in=submission_kinds_for(meeting.kind),
        )
        .exclude(Exists(taken))
        .select_related("lead_unit")
        .order_by("position", "pk")
    )


def detail_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee", "chair", "created_by")


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    items = list(
        meeting.agenda_items.select_related("lead_unit", "program_item", "consultation").order_by(
            "position", "pk"
        )
    )
    for item in items:
        item.meeting = meeting
    return items


def invitees_of(meeting: Meeting) -> list[Invitee]:
    invitees = list(meeting.invitees.select_related("unit").order_by("unit__name", "pk"))
    for invitee in invitees:
        invitee.meeting = meeting
    return invitees


def attendance_stats(scope: Q, year: int) -> QuerySet[Any]:
    """Per invited unit, for the meetings of ``year`` in ``scope`` (not cancelled): invited,
    attended, absent, sent the wrong level. One grouped query."""
    return (
        Invitee.objects.filter(meeting__in=Meeting.objects.filter(scope), meeting__date__year=year)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values("unit_id", "unit__code", "unit__name")
        .annotate(
            # Not named after the model's fields: a filter would read the annotation.
            n_invited=Count("pk"),
            n_attended=Count("pk", filter=Q(attended=True)),
            n_absent=Count("pk", filter=Q(attended=False)),
            n_wrong_level=Count("pk", filter=Q(is_wrong_level=True)),
        )
        .order_by("-n_wrong_level", "-n_absent", "unit__name", "unit_id")
    )


# --- To-do ------------------------------------------------------------------------------------


def meetings_to_prepare(user: User, limit: int) -> TodoEntry | None:
    """The Office's meetings in the next ten working days that still have no agenda or no
    invited unit."""
    where = prepared_by_office_of(user)
    if where == NOTHING:
        return None
    today = clock.today()
    horizon = calendar.add_working_days(today, TODO_WORKING_DAYS)
    has_items = Exists(
        AgendaItem.objects.filter(meeting_id=OuterRef("pk")).exclude(status=AgendaStatus.WITHDRAWN)
    )
    has_invitees = Exists(Invitee.objects.filter(meeting_id=OuterRef("pk")))
    meetings = (
        Meeting.objects.filter(where, date__gte=today, date__lte=horizon)
        .annotate(has_items=has_items, has_invitees=has_invitees)
        .filter(Q(has_items=False) | Q(has_invitees=False))
        .order_by("date", "pk")
    )
    count, rows = count_and_first(meetings, limit)
    items = []
    for meeting in rows:
        missing = []
        if not meeting.has_items:
            missing.append(_("chưa có nội dung"))
        if not meeting.has_invitees:
            missing.append(_("chưa mời đơn vị dự họp"))
        items.append(
            TodoItem(
                label=meeting.title,
                url=meeting.get_absolute_url(),
                detail=_("Họp ngày %(day)s: %(missing)s")
                % {"day": f"{meeting.date:%d/%m/%Y}", "missing": ", ".join(missing)},
            )
        )
    return TodoEntry(
        key="deliberation.meetings_to_prepare",
        title=gettext_lazy("Phiên họp cần chuẩn bị"),
        count=count,
        items=items,
        more_url=reverse("deliberation:meeting_list"),
    )
