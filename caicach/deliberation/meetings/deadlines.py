"""The working-day deadlines of a meeting's agenda items (seed 001, DOMAIN.md "Meetings"):

- the lead unit consults the Chairman / Vice-chairman no later than the committee's
  ``consult_by_day`` (the 10th) of the meeting's month — a day off moves it to the next
  working day (Civil Code Art. 148), and it never falls after the dossier's own deadline;
- the signed and stamped dossier reaches the Office N working days before the meeting, the
  meeting day excluded (Art. 147): ``committee_dossier_working_days`` (3) for committee
  meetings and leaders' working sessions, ``party_dossier_working_days`` (2) for the Party
  committee's.

All arithmetic goes through ``core.calendar``, so Tết, swapped days and make-up Saturdays
count the way the Office counts them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caicach.core.calendar import queries as calendar
from caicach.core.rendering import short_date
from caicach.deliberation.models import PARTY_KINDS, DeliberationSettings


@dataclass(frozen=True)
class AgendaDeadlines:
    consult_by: datetime.date
    dossier_due: datetime.date
    dossier_working_days: int


def dossier_working_days(kind: str, settings: DeliberationSettings) -> int:
    if kind in PARTY_KINDS:
        return settings.party_dossier_working_days
    return settings.committee_dossier_working_days


def deadlines_for(*, kind: str, date: datetime.date, settings: DeliberationSettings) -> AgendaDeadlines:
    days = dossier_working_days(kind, settings)
    dossier_due = calendar.working_day_before(date, days)
    consult_by = calendar.add_working_days(date.replace(day=settings.consult_by_day), 0)
    return AgendaDeadlines(
        consult_by=min(consult_by, dossier_due), dossier_due=dossier_due, dossier_working_days=days
    )


def dossier_due_words(working_days: int, due: datetime.date) -> str:
    """ "trước 3 ngày làm việc: hạn 16/10/2026" — the deadline in words and date."""
    return ngettext(
        "trước %(n)d ngày làm việc: hạn %(date)s",
        "trước %(n)d ngày làm việc: hạn %(date)s",
        working_days,
    ) % {"n": working_days, "date": short_date(due)}


def consult_by_words(due: datetime.date) -> str:
    return _("xin ý kiến Chủ tịch, Phó Chủ tịch: hạn %(date)s") % {"date": short_date(due)}
