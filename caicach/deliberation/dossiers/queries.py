"""Reads of meeting dossiers: an item's checklist and whether its dossier is late or
incomplete (derived, never stored), the proposed withdrawal list, the panels the meeting
pages include and the Office's to-do.

Seed 001: the signed and stamped dossier reaches the Office N working days before the
meeting (``AgendaItem.dossier_due``, computed by ``meetings.deadlines``). A dossier is
*late* when a required part came after the end of that day, or had not come by then; it is
*incomplete* while a required part is pending or missing. Once the due day has ended
(today > dossier_due), every item still on the agenda of a meeting ahead whose dossier is
late or incomplete is on the proposed withdrawal list the Office puts to the chair —
nobody compiles it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.models import User
from caicach.core.permissions import can
from caicach.core.rendering import short_date
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.deliberation.dossiers.rules import (
    OPEN_MEETING_STATUSES,
    dossier_items_for,
    kept_by_office_of,
)
from caicach.deliberation.meetings.deadlines import dossier_due_words
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    DossierEntry,
    DossierEntryStatus,
    Meeting,
)

# --- Lateness, on rows already read ---------------------------------------------------------------


@dataclass(frozen=True)
class DossierState:
    """Where an item's dossier stands on ``today``, from its checklist rows."""

    due: datetime.date
    today: datetime.date
    has_checklist: bool
    missing: list[str] = field(default_factory=list)  # labels of required parts not received
    late_received_on: datetime.date | None = None  # the last required part, when after the due day
    received: int = 0
    required: int = 0
    # Still on the agenda of a meeting ahead, undecided: what the list asks besides the dossier.
    awaiting_decision: bool = True

    @property
    def incomplete(self) -> bool:
        return not self.has_checklist or bool(self.missing)

    @property
    def past_due(self) -> bool:
        """The due day has ended."""
        return self.today > self.due

    @property
    def late(self) -> bool:
        return self.late_received_on is not None or (self.past_due and self.incomplete)

    @property
    def proposed_for_withdrawal(self) -> bool:
        """The Python twin of ``proposed_withdrawals_q`` (a test keeps them in step)."""
        return self.awaiting_decision and self.past_due and (self.late or self.incomplete)

    @property
    def reasons(self) -> list[str]:
        """The reasons in words, as the list shows them to the chair."""
        words = []
        if self.late_received_on is not None:
            words.append(
                _("Hồ sơ đến Văn phòng ngày %(day)s, sau hạn %(due)s")
                % {"day": short_date(self.late_received_on), "due": short_date(self.due)}
            )
        if not self.has_checklist:
            words.append(_("Chưa nhận hồ sơ"))
        elif self.missing:
            words.append(_("Thiếu: %(parts)s") % {"parts": ", ".join(self.missing)})
        return words


def dossier_state(
    item: AgendaItem, entries: list[DossierEntry], today: datetime.date | None = None
) -> DossierState:
    """``entries``: every checklist row of ``item`` (or its required ones)."""
    required = [entry for entry in entries if entry.is_required]
    missing = [entry.label for entry in required if entry.status != DossierEntryStatus.RECEIVED]
    late = [
        entry.received_on
        for entry in required
        if entry.status == DossierEntryStatus.RECEIVED
        and entry.received_on is not None
        and entry.received_on > item.dossier_due
    ]
    day = today or clock.today()
    meeting = item.meeting
    return DossierState(
        due=item.dossier_due,
        today=day,
        awaiting_decision=(
            item.status == AgendaStatus.ON_AGENDA
            and not item.withdrawal_decision
            and meeting.status in OPEN_MEETING_STATUSES
            and meeting.date >= day
        ),
        has_checklist=bool(entries),
        missing=missing,
        late_received_on=max(late) if late else None,
        received=len(required) - len(missing),
        required=len(required),
    )


# --- The proposed withdrawal list -------------------------------------------------------------------


def late_or_incomplete_q() -> Q:
    """Agenda items whose dossier, judged after its due day, is late or incomplete: a required
    part not received (pending or missing), one received after the due day, or no checklist."""
    entries = DossierEntry.objects.filter(agenda_item_id=OuterRef("pk"))
    required = entries.filter(is_required=True)
    return (
        Q(Exists(required.exclude(status=DossierEntryStatus.RECEIVED)))
        | Q(Exists(required.filter(received_on__gt=OuterRef("dossier_due"))))
        | ~Q(Exists(entries))
    )


def proposed_withdrawals_q(today: datetime.date) -> Q:
    """The list's filter: on the agenda of a meeting still ahead (not held, not cancelled),
    undecided, the due day ended, the dossier late or incomplete."""
    return (
        Q(
            status=AgendaStatus.ON_AGENDA,
            withdrawal_decision="",
            dossier_due__lt=today,
            meeting__status__in=OPEN_MEETING_STATUSES,
            meeting__date__gte=today,
        )
        & late_or_incomplete_q()
    )


def required_entries() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "dossier_entries",
        queryset=DossierEntry.objects.filter(is_required=True).order_by("pk"),
        to_attr="required_entries",
    )


def withdrawal_list(
    user: User | AnonymousUser,
    *,
    today: datetime.date | None = None,
    committee_id: int | None = None,
    meeting: Meeting | None = None,
) -> QuerySet[AgendaItem]:
    """The proposed withdrawal list of a committee (or of one meeting): one query over the
    items ``user`` may see, soonest meeting first; each row carries its required parts
    (``required_entries``, one prefetch per page) for the reasons."""
    day = today or clock.today()
    rows = dossier_items_for(user).filter(proposed_withdrawals_q(day))
    if committee_id is not None:
        rows = rows.filter(meeting__committee_id=committee_id)
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    return (
        rows.select_related("program_item")
        .prefetch_related(required_entries())
        .order_by("meeting__date", "meeting_id", "position", "pk")
    )


@dataclass(frozen=True)
class ListedItem:
    item: AgendaItem
    state: DossierState


def listed(rows: Any, today: datetime.date | None = None) -> list[ListedItem]:
    """The rows of a page of ``withdrawal_list`` with their reasons."""
    day = today or clock.today()
    return [ListedItem(item=row, state=dossier_state(row, row.required_entries, day)) for row in rows]


# --- An item's checklist ------------------------------------------------------------------------------


def dossier_queryset() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related(
        "meeting",
        "meeting__committee",
        "meeting__chair",
        "lead_unit",
        "program_item",
        "consultation",
        "withdrawal_decided_by",
        "adjustment_request",
    )


def entries_of(item: AgendaItem) -> list[DossierEntry]:
    return list(item.dossier_entries.select_related("marked_by").order_by("pk"))


def due_words(item: AgendaItem) -> str:
    return dossier_due_words(item.dossier_working_days, item.dossier_due)


# --- The panels the meeting pages include --------------------------------------------------------------


def meeting_panel(meeting: Meeting, user: User) -> dict[str, Any]:
    """What the meeting's page shows of its dossiers: each agenda item ``user`` may see with
    its parts received / required, and the items proposed for withdrawal. Two queries."""
    today = clock.today()
    rows = list(
        dossier_items_for(user)
        .filter(meeting=meeting)
        .annotate(
            parts_required=Count("dossier_entries", filter=Q(dossier_entries__is_required=True)),
            parts_received=Count(
                "dossier_entries",
                filter=Q(
                    dossier_entries__is_required=True, dossier_entries__status=DossierEntryStatus.RECEIVED
                ),
            ),
            proposed=Exists(AgendaItem.objects.filter(proposed_withdrawals_q(today), pk=OuterRef("pk"))),
        )
        .order_by("position", "pk")
    )
    sees_list = can(user, "view_withdrawal_list", meeting)
    return {
        "dossier_rows": rows,
        "proposed_count": sum(1 for row in rows if row.proposed),
        "sees_withdrawal_list": sees_list,
        "withdrawal_list_url": reverse("deliberation:meeting_withdrawal_list", args=[meeting.pk]),
    }


def agenda_item_panel(agenda_item: AgendaItem, user: User) -> dict[str, Any]:
    """What an agenda item's page shows of its dossier: the checklist with each part's
    status, whether it is late or incomplete, and the link to the page where the Office
    marks it. One query (the checklist), none for somebody who may not see it."""
    if not can(user, "view_dossier", agenda_item):
        return {"sees_dossier": False}
    entries = entries_of(agenda_item)
    return {
        "sees_dossier": True,
        "dossier_entries": entries,
        "dossier_state": dossier_state(agenda_item, entries),
        "dossier_due_words": due_words(agenda_item),
        "dossier_url": reverse("deliberation:dossier_detail", args=[agenda_item.pk]),
    }


# --- The Office's to-do -------------------------------------------------------------------------------


def withdrawals_to_put(user: User, limit: int) -> TodoEntry | None:
    """The Office's "N nội dung đề nghị rút khỏi phiên họp": items of the proposed list of the
    committees it covers, waiting for the chair's decision."""
    where = kept_by_office_of(user)
    if where == NOTHING:
        return None
    today = clock.today()
    rows = (
        AgendaItem.objects.filter(where)
        .filter(proposed_withdrawals_q(today))
        .select_related("meeting")
        .order_by("meeting__date", "meeting_id", "position", "pk")
    )
    count, first = count_and_first(rows, limit)
    items = [
        TodoItem(
            label=item.title,
            url=reverse("deliberation:dossier_detail", args=[item.pk]),
            detail=_("%(meeting)s ngày %(day)s")
            % {"meeting": item.meeting.title, "day": short_date(item.meeting.date)},
            late=True,
        )
        for item in first
    ]
    return TodoEntry(
        key="deliberation.withdrawals",
        title=gettext_lazy("Nội dung đề nghị rút khỏi phiên họp"),
        count=count,
        items=items,
        more_url=reverse("deliberation:withdrawal_list"),
    )
