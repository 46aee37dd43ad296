"""The working-day calendar: the only place that does date arithmetic for deadlines.

A day's status comes from three layers, the later one winning:

1. the weekly rest (Saturday, Sunday);
2. the statutory holidays (Labour Code 2019, Art. 112) from the pinned ``holidays``
   package: 1/1, five Tết days on the Vietnamese lunar calendar, Hùng Kings (10/3 lunar),
   30/4, 1/5, 2/9 plus its adjacent day, and the compensatory day when one of them falls on
   a weekend (Art. 111(3)). The package's own "substituted" days (swaps it copied from
   past notices) are dropped: swaps come only from layer 3, so a swap is always a pair
   (the day off and its make-up Saturday) with the notice that ordered it;
3. ``CalendarDay`` rows: the Government's yearly notices for civil servants (swapped days
   off, make-up Saturdays) shipped in ``calendar/data/official_calendar.json`` and loaded by
   ``services.calendar.calendar_load_official``, plus what admins add for later years.

Counting follows the Civil Code (Arts. 147-148): the triggering day is not counted and a
period never ends on a day off.

A year's rows are read once per process and kept until the calendar version (a key in
Django's cache, shared by every process) moves; the services bump it on every change.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import enum
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from caicach.core import choices
from caicach.core.models import CalendarDay, CalendarDayKind

OFFICIAL_DATA_PATH = Path(__file__).resolve().parent / "data" / "official_calendar.json"
MIN_YEAR = 1995
MAX_YEAR = 2200
_VERSION_KEY = "core.calendar.version"


class DayStatus(enum.StrEnum):
    WORKING = "working"  # an ordinary working day
    WEEKEND = "weekend"  # Saturday or Sunday
    HOLIDAY = "holiday"  # statutory holiday or its compensatory day
    OFF = "off"  # a working day turned into a day off by a notice (swap, extra day)
    MAKEUP = "makeup"  # a day off turned into a working day by a notice (make-up day)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    status: DayStatus
    reason: str = ""
    source: str = ""
    override_id: int | None = None

    @property
    def is_working(self) -> bool:
        return self.status in (DayStatus.WORKING, DayStatus.MAKEUP)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class _Override:
    kind: str
    description: str
    source: str
    pk: int


@dataclass(frozen=True)
class _Year:
    holidays: dict[datetime.date, str]
    overrides: dict[datetime.date, _Override]
    # working_through[i]: the working days from 1 January to the year's (i+1)-th day, both
    # included, so that a count between two dates costs two look-ups, not a walk over the days
    # (the task list counts "N working days left" for every row, some deadlines years away).
    working_through: tuple[int, ...]


def _working_through(year: int, overrides: dict[datetime.date, _Override]) -> tuple[int, ...]:
    counts: list[int] = []
    total = 0
    current = datetime.date(year, 1, 1)
    while current.year == year:
        override = overrides.get(current)
        if override is not None:
            total += override.kind == CalendarDayKind.WORKING_DAY
        else:
            total += base_day(current).is_working
        counts.append(total)
        current += datetime.timedelta(days=1)
    return tuple(counts)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"The calendar covers {MIN_YEAR}-{MAX_YEAR}, not {year}.")


def _substituted_days(year: int) -> set[datetime.date]:
    """The days the package itself swapped (copied from past notices)."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    entries: Any = VietnamStaticHolidays.special_public_holidays.get(year, ())
    if entries and isinstance(entries[0], int):
        entries = (entries,)
    return {datetime.date(year, entry[0], entry[1]) for entry in entries}


@lru_cache(maxsize=512)
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """Statutory holidays and compensatory days of ``year`` with their Vietnamese names."""
    _check_year(year)
    found = holidays.country_holidays("VN", years=year, language="vi")
    dropped = _substituted_days(year)
    return {day: str(name) for day, name in sorted(found.items()) if day not in dropped and day.year == year}


# --- Process-local cache of the overrides, invalidated through Django's cache ------------------

_years: dict[int, tuple[str, _Year]] = {}
_lock = threading.Lock()


def _version() -> str:
    # Read once per request (``choices.versions_per_request``): a list's rows each count
    # working days, and each count asked the shared cache for this version.
    return choices.version(_VERSION_KEY)


def invalidate() -> None:
    """Forget every year's overrides, here and (through the shared cache) in every process.
    Services call it right away and again on commit: the second call covers a process that
    reloaded the year between the first call and the commit."""
    choices.new_version(_VERSION_KEY)
    with _lock:
        _years.clear()
        _spans.clear()


_spans: dict[str, tuple[int, int] | None] = {}


def notice_years() -> tuple[int, int] | None:
    """The first and the last year that have notice days (``CalendarDay`` rows), or None;
    read once per calendar version, like the years' rows."""
    version = _version()
    with _lock:
        if version in _spans:
            return _spans[version]
    found = CalendarDay.objects.aggregate(first=Min("date"), last=Max("date"))
    span = (found["first"].year, found["last"].year) if found["first"] and found["last"] else None
    with _lock:
        _spans.clear()
        _spans[version] = span
    return span


class _Calendar:
    """One consistent view of the calendar for the length of one operation."""

    def __init__(self) -> None:
        self.version = _version()
        self.local: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        found = self.local.get(year)
        if found is not None:
            return found
        _check_year(year)
        with _lock:
            cached = _years.get(year)
        if cached is not None and cached[0] == self.version:
            data = cached[1]
        else:
            rows = CalendarDay.objects.filter(
                date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
            ).values_list("date", "kind", "description", "source", "pk")
            overrides = {
                row[0]: _Override(kind=row[1], description=row[2], source=row[3], pk=row[4]) for row in rows
            }
            data = _Year(
                holidays=statutory_holidays(year),
                overrides=overrides,
                working_through=_working_through(year, overrides),
            )
            with _lock:
                _years[year] = (self.version, data)
        self.local[year] = data
        return data

    def day(self, date: datetime.date) -> Day:
        data = self.year(date.year)
        override = data.overrides.get(date)
        if override is not None:
            status = DayStatus.MAKEUP if override.kind == CalendarDayKind.WORKING_DAY else DayStatus.OFF
            return Day(date, status, override.description, override.source, override.pk)
        return base_day(date)

    def is_working(self, date: datetime.date) -> bool:
        return self.day(date).is_working

    def working_through(self, date: datetime.date) -> int:
        """The working days from 1 January of ``date``'s year to ``date``, both included."""
        return self.year(date.year).working_through[date.timetuple().tm_yday - 1]


def base_day(date: datetime.date) -> Day:
    """The day under the weekly rest and the statutory holidays only, ignoring every
    notice and admin override (what the admin form validates against)."""
    name = statutory_holidays(date.year).get(date)
    if name is not None:
        return Day(date, DayStatus.HOLIDAY, name, _("Bộ luật Lao động 2019, Điều 112"))
    if date.weekday() >= 5:
        return Day(date, DayStatus.WEEKEND, _("Nghỉ hằng tuần"))
    return Day(date, DayStatus.WORKING)


def day(date: datetime.date) -> Day:
    return _Calendar().day(date)


def is_working_day(date: datetime.date) -> bool:
    return _Calendar().is_working(date)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The N-th working day after ``start`` (Civil Code Art. 147: the triggering day is not
    counted). ``n == 0`` gives ``start`` itself if it is a working day, else the next
    working day (Art. 148: a period does not end on a day off)."""
    if n < 0:
        raise ValueError("n must be zero or more.")
    cal = _Calendar()
    current = start
    if n == 0:
        while not cal.is_working(current):
            current += datetime.timedelta(days=1)
        return current
    counted = 0
    while counted < n:
        current += datetime.timedelta(days=1)
        if cal.is_working(current):
            counted += 1
    return current


def working_day_before(date: datetime.date, n: int) -> datetime.date:
    """The N-th working day before ``date``, ``date`` itself excluded ("documents reach the
    Office 3 working days before the meeting": the end of that day is the deadline).
    ``n == 0`` gives ``date`` if it is a working day, else the previous working day."""
    if n < 0:
        raise ValueError("n must be zero or more.")
    cal = _Calendar()
    current = date
    if n == 0:
        while not cal.is_working(current):
            current -= datetime.timedelta(days=1)
        return current
    counted = 0
    while counted < n:
        current -= datetime.timedelta(days=1)
        if cal.is_working(current):
            counted += 1
    return current


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days in the half-open interval (a, b]: ``a`` excluded (the
    triggering day), ``b`` included. Negative when ``b`` is before ``a``
    (``-working_days_between(b, a)``), 0 when they are equal. For n >= 1,
    ``working_days_between(a, add_working_days(a, n)) == n``."""
    if b < a:
        return -working_days_between(b, a)
    cal = _Calendar()
    whole_years = sum(cal.year(year).working_through[-1] for year in range(a.year, b.year))
    return whole_years + cal.working_through(b) - cal.working_through(a)


# --- The year page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Day | None]]  # Monday first; None pads the first and last week


@dataclass(frozen=True)
class YearOverview:
    year: int
    months: list[Month]
    days_off: list[Day]  # holidays (also those on a weekend) and notice days off
    makeup_days: list[Day]
    working_day_count: int


def year_overview(year: int) -> YearOverview:
    cal = _Calendar()
    cal.year(year)
    months: list[Month] = []
    days_off: list[Day] = []
    makeup: list[Day] = []
    working = 0
    for number in range(1, 13):
        weeks: list[list[Day | None]] = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, number):
            row: list[Day | None] = []
            for date in week:
                if date.month != number:
                    row.append(None)
                    continue
                info = cal.day(date)
                row.append(info)
                if info.is_working:
                    working += 1
                if info.status in (DayStatus.HOLIDAY, DayStatus.OFF):
                    days_off.append(info)
                elif info.status == DayStatus.MAKEUP:
                    makeup.append(info)
            weeks.append(row)
        months.append(Month(number=number, weeks=weeks))
    return YearOverview(
        year=year, months=months, days_off=days_off, makeup_days=makeup, working_day_count=working
    )


def days_off(year: int) -> list[Day]:
    """Every holiday and notice day off of ``year`` (weekends without a holiday left out)."""
    return year_overview(year).days_off


# --- The shipped official schedule -------------------------------------------------------------


@dataclass(frozen=True)
class OfficialDay:
    date: datetime.date
    kind: str
    description: str
    source: str


@dataclass(frozen=True)
class OfficialSchedule:
    years: list[int]
    days: list[OfficialDay]


def official_schedule() -> OfficialSchedule:
    """The Government's notices for 2024-2026 as shipped with the code."""
    raw = json.loads(OFFICIAL_DATA_PATH.read_text(encoding="utf-8"))
    days = [
        OfficialDay(
            date=datetime.date.fromisoformat(item["date"]),
            kind=CalendarDayKind(item["kind"]).value,
            description=item["description"],
            source=item["source"],
        )
        for item in raw["days"]
    ]
    return OfficialSchedule(years=[int(y) for y in raw["years"]], days=days)
