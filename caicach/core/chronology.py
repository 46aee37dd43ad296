"""Dates that must follow each other (issue 10, "Dates that agree"): a campaign's council
meets, its minutes record the meeting, the decision recognises what the council voted, the
certificates follow the decision. One place for the order and for the message that names
the date a refused one must follow, shared by the services (which refuse) and the forms
(which show the refusal beside the field)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


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
