"""Calendar months, the one way: due months, report periods, "N months after".

Working-day arithmetic lives in ``caicach.core.calendar.queries``; this module only moves across
whole months and writes them the Decree 30 way."""

from __future__ import annotations

import calendar as gregorian
import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, count: int) -> datetime.date:
    """The same day ``count`` calendar months later (or earlier, when negative); a day the
    target month lacks becomes its last day (Civil Code 2015, Art. 148: 30/11 + 3 months =
    28/02, or 29/02 in a leap year). The first of a month stays the first of a month."""
    index = day.year * 12 + day.month - 1 + count
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def month_label(day: datetime.date) -> str:
    """'3/2024', '02/2024': the month as Decree 30/2020 (Annex I) writes dates — January and
    February take a leading zero, the other months none."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{month}/{day.year}"


def overdue_threshold(today: datetime.date, grace_days: int) -> datetime.date:
    """The first due month that is not yet overdue on ``today``: an item due in an earlier
    month is overdue once its month has ended and ``grace_days`` more days have passed."""
    return first_of_month(today - datetime.timedelta(days=grace_days))
