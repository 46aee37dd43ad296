"""Meetings and agenda items for the dossier tests, written straight to the database (the
meetings area's services are built alongside), with their deadlines computed the way the
meetings area computes them (``meetings.deadlines``, through the working-day calendar).

Two meetings of 2026 exercise the calendar:
- Wednesday 25 February 2026, just after Tết (days off Saturday 14 to Sunday 22 February):
  the dossier is due three working days before — Tuesday 24, Monday 23, then Friday 13
  February, before Tết.
- Tuesday 13 January 2026, across the make-up Saturday 10 January (worked for Friday 2
  January): due Friday 9 January; the next working day is that Saturday."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from caicach.core.models import Unit, User
from caicach.deliberation.consultations.queries import settings_for
from caicach.deliberation.dossiers.services import dossier_checklist_ensure, dossier_entry_mark
from caicach.deliberation.meetings.deadlines import deadlines_for
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    Consultation,
    DossierEntry,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from caicach.workprogram.models import ProgramItem
from tests.conftest import on_day

AFTER_TET = datetime.date(2026, 2, 25)  # a Wednesday
AFTER_TET_DUE = datetime.date(2026, 2, 13)  # the Friday before Tết
AFTER_TET_NEXT_WORKING_DAY = datetime.date(2026, 2, 23)
MAKE_UP = datetime.date(2026, 1, 13)  # a Tuesday
MAKE_UP_DUE = datetime.date(2026, 1, 9)  # a Friday
MAKE_UP_SATURDAY = datetime.date(2026, 1, 10)  # a working day
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "ho-so.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_meeting(
    committee: Unit,
    date: datetime.date,
    *,
    chair: User | None = None,
    kind: str = MeetingKind.REGULAR,
    status: str = MeetingStatus.SCHEDULED,
    title: str = "",
) -> Meeting:
    return Meeting.objects.create(
        committee=committee,
        kind=kind,
        title=title or f"Phiên họp UBND tỉnh tháng {date.month}/{date.year}",
        date=date,
        chair=chair,
        status=status,
    )


def add_agenda_item(
    meeting: Meeting,
    lead_unit: Unit,
    *,
    title: str = "Đề án nâng cao chỉ số cải cách hành chính",
    program_item: ProgramItem | None = None,
    is_legal_document: bool = False,
    consultation: Consultation | None = None,
    status: str = AgendaStatus.ON_AGENDA,
    checklist: bool = True,
) -> AgendaItem:
    deadlines = deadlines_for(
        kind=meeting.kind, date=meeting.date, settings=settings_for(meeting.committee_id)
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=meeting.agenda_items.count() + 1,
        title=title,
        program_item=program_item,
        lead_unit=lead_unit,
        is_legal_document=is_legal_document,
        consultation=consultation,
        status=status,
        consult_by=deadlines.consult_by,
        dossier_due=deadlines.dossier_due,
        dossier_working_days=deadlines.dossier_working_days,
    )
    if checklist:
        dossier_checklist_ensure(item)
    return item


def entry(item: AgendaItem, part: str) -> DossierEntry:
    return DossierEntry.objects.select_related("agenda_item__meeting").get(agenda_item=item, part=part)


def receive(
    item: AgendaItem, actor: User, day: datetime.date, *, parts: tuple[str, ...] | None = None
) -> None:
    """The Office marks the item's required parts (or ``parts``) received on ``day``."""
    rows = DossierEntry.objects.select_related("agenda_item__meeting").filter(agenda_item=item)
    rows = rows.filter(part__in=parts) if parts is not None else rows.filter(is_required=True)
    with on_day(day):
        for row in rows:
            dossier_entry_mark(actor=actor, entry=row, status="received", version=row.version, upload=pdf())
