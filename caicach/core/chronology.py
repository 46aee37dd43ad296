"""Dates that are plausible and dates that must follow each other.

Plausible: every date the product stores lies in the span its kind allows around today (an
issue date near today, a birth date 16 to 100 years back, a first application not in the
future, a campaign window within a few years): a date of 31/12/9999 or 01/01/0001 is a
typing slip, and stored it would take a register number in year 9999. ``DateSpan`` is that
range; the forms offer it (``VietnameseDateField(span=...)``) and the services enforce it
(``require_within``), so a service called directly refuses the same date.

In order: a campaign's council meets, its minutes record the meeting, the decision
recognises what the council voted, the certificates follow the decision. One place for the
order and for the message that names the date a refused one must follow, shared by the
services (which refuse) and the forms (which show the refusal beside the field)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.months import add_months

M = TypeVar("M", bound=Model)

# The youngest and the oldest person the product plausibly records (an author, an official).
YOUNGEST_AGE = 16
OLDEST_AGE = 100


def _floor(today: datetime.date) -> datetime.date:
    return datetime.date(settings.DATE_FLOOR_YEAR, 1, 1)


def _years(count: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: add_months(today, 12 * count)


def _planning_back(today: datetime.date) -> datetime.date:
    return add_months(today, -12 * settings.PLANNING_YEARS)


def _planning_ahead(today: datetime.date) -> datetime.date:
    return add_months(today, 12 * settings.PLANNING_YEARS)


def _issue_ahead(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.ISSUE_DATE_MAX_DAYS_AHEAD)


@dataclass(frozen=True)
class DateSpan:
    """The range one kind of date may take, computed from today (``clock.today()``)."""

    name: str
    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or clock.today()
        return self.earliest(today), self.latest(today)

    def problem(self, day: datetime.date | None, *, what: str) -> str | None:
        """None when ``day`` is unknown or within the span, otherwise the message naming both
        ends: "Ngày ban hành phải từ ngày 01/01/2000 đến ngày 03/01/2027." """
        if day is None:
            return None
        start, end = self.bounds()
        if start <= day <= end:
            return None
        return _("%(what)s phải từ ngày %(start)s đến ngày %(end)s.") % {
            "what": what,
            "start": _day(start),
            "end": _day(end),
        }


# A document's issue, signing, decision, submission or receipt date.
ISSUED = DateSpan("issued", _floor, _issue_ahead)
# Something that has already happened (an initiative's first application).
PAST = DateSpan("past", _floor, lambda today: today)
# A person's birth date.
BIRTH = DateSpan("birth", _years(-OLDEST_AGE), _years(-YOUNGEST_AGE))
# Planned dates: campaign windows, deadlines, meetings, expected completion, calendar days.
PLANNED = DateSpan("planned", _planning_back, _planning_ahead)
# A date a list is filtered by: anything of the product's own era.
RECORDED = DateSpan("recorded", _floor, _planning_ahead)
# A unit's validity: today's units go back to the founding of the state (02/09/1945).
HISTORIC = DateSpan("historic", lambda today: datetime.date(1945, 9, 2), _planning_ahead)


def add_span_error(
    errors: dict[str, str], field: str, day: datetime.date | None, span: DateSpan, *, what: str
) -> None:
    """For services gathering refusals per field: note ``field``'s refusal unless it already
    has one."""
    problem = span.problem(day, what=what)
    if problem and field not in errors:
        errors[field] = problem


def require_within(day: datetime.date | None, span: DateSpan, *, what: str, field: str | None = None) -> None:
    """The services' check: ValidationError (on ``field`` when given) unless ``day`` lies
    within ``span``."""
    problem = span.problem(day, what=what)
    if problem:
        raise ValidationError({field: problem} if field else problem)


def _day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def must_follow(
    day: datetime.date | None, anchor: datetime.date | None, *, what: str, anchor_name: str
) -> str | None:
    """None when ``day`` is on or after ``anchor`` (or either is not known yet), otherwise
    the message naming the date: "Ngày quyết định phải từ ngày 12/07/2026 (ngày họp Hội
    đồng) trở đi." ``what`` starts the sentence; ``anchor_name`` says what the anchor is."""
    if day is None or anchor is None or day >= anchor:
        return None
    return _("%(what)s phải từ ngày %(date)s (%(anchor)s) trở đi.") % {
        "what": what,
        "date": _day(anchor),
        "anchor": anchor_name,
    }


def not_after(day: datetime.date | None, today: datetime.date, *, what: str) -> str | None:
    """None unless ``day`` lies after ``today``; then the message saying so, with today's date."""
    if day is None or day <= today:
        return None
    return _("%(what)s không được sau ngày hôm nay (%(today)s).") % {"what": what, "today": _day(today)}


def first_problem(*problems: str | None) -> str | None:
    """The first refusal of several checks on one date (the one the user fixes first)."""
    return next((problem for problem in problems if problem), None)


def within_days(
    queryset: QuerySet[M], field: str, first: datetime.date | None, last: datetime.date | None
) -> QuerySet[M]:
    """Rows whose ``field`` (a moment) falls on the days ``first``..``last`` (both included,
    either open), counted in local time: a search "to 05/12" keeps 05/12 23:59."""

    def start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    if first:
        queryset = queryset.filter(**{f"{field}__gte": start_of(first)})
    if last:
        queryset = queryset.filter(**{f"{field}__lt": start_of(last + datetime.timedelta(days=1))})
    return queryset
