"""Daily reminders: apps register a function with ``@daily("initiatives.campaign_reminders")``
and it runs once per calendar day (Vietnam time), at 07:00, from a self-rescheduling task
(``daily_tick`` below) or from cron (``manage.py run_daily``).

Each function receives the day and decides itself whether that day matters (working days
come from ``caicach.core.calendar.queries``). "Once per day" holds across restarts and several
workers: the run is recorded in the database before the function runs, under a lock, as a
``Job`` row of kind ``core.daily_tick``. A function that failed may be run again the same
day (``manage.py run_daily``); one that succeeded or is running is never run twice."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks import task

from caicach.core import clock
from caicach.core.jobs.services import job_fail, job_finish
from caicach.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

REMINDER_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TICK_TIME = datetime.time(7, 0)
TICK_KIND = "core.daily_tick"
SCHEDULE_KIND = "core.daily_schedule"
# Arbitrary constant naming the PostgreSQL advisory lock that serialises the bookkeeping.
_PG_LOCK_KEY = 0x43434844  # "CCHD"

DailyFunction = Callable[[datetime.date], None]
_daily: dict[str, DailyFunction] = {}


def daily(name: str) -> Callable[[DailyFunction], DailyFunction]:
    def register(fn: DailyFunction) -> DailyFunction:
        _daily[name] = fn
        return fn

    return register


def registered() -> dict[str, DailyFunction]:
    return dict(_daily)


def today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or clock.now()).astimezone(REMINDER_TZ).date()


def next_tick_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 07:00 in Vietnam strictly after ``now`` (Vietnam keeps no summer time)."""
    local = (now or clock.now()).astimezone(REMINDER_TZ)
    candidate = datetime.datetime.combine(local.date(), TICK_TIME, tzinfo=REMINDER_TZ)
    if candidate <= local:
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), TICK_TIME, tzinfo=REMINDER_TZ
        )
    return candidate


def _serialise() -> None:
    """Make check-then-insert safe between processes. On SQLite the IMMEDIATE transaction
    mode (settings) already holds the database's write lock from BEGIN; on PostgreSQL a
    SELECT ... FOR UPDATE cannot lock a row that does not exist yet, so take a transaction
    advisory lock instead (released at commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _claim(name: str, day: datetime.date) -> Job | None:
    with transaction.atomic():
        _serialise()
        taken = (
            Job.objects.filter(kind=TICK_KIND, parameters__day=day.isoformat(), parameters__reminder=name)
            .exclude(status=JobStatus.FAILED)
            .exists()
        )
        if taken:
            return None
        return Job.objects.create(
            kind=TICK_KIND, status=JobStatus.RUNNING, parameters={"day": day.isoformat(), "reminder": name}
        )


@dataclass
class DailyReport:
    day: datetime.date
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"day": self.day.isoformat(), "ran": self.ran, "skipped": self.skipped, "failed": self.failed}


def run_daily(day: datetime.date | None = None) -> DailyReport:
    """Run every registered function not yet run (successfully) on ``day``. A failing one
    is logged and marked failed; the others still run."""
    report = DailyReport(day=day or today())
    for name in sorted(_daily):
        row = _claim(name, report.day)
        if row is None:
            report.skipped.append(name)
            continue
        try:
            _daily[name](report.day)
        except Exception as exc:
            logger.exception("Daily function %s failed on %s", name, report.day)
            job_fail(
                row, _("Lỗi khi chạy nhắc việc hằng ngày: %(error)s") % {"error": exc.__class__.__name__}
            )
            report.failed.append(name)
        else:
            job_finish(row)
            report.ran.append(name)
    return report


def schedule_next_tick(now: datetime.datetime | None = None) -> tuple[datetime.datetime | None, bool]:
    """Queue ``daily_tick`` for the next 07:00, once: however many chains were started (two
    workers, ``run_daily --schedule`` run at every deploy), they converge on one queued tick
    per morning, because the target time is recorded under the same lock.

    Returns (when, newly queued); when is None if the task backend cannot defer tasks (the
    inline backend used by the tests), in which case cron must call ``run_daily``."""
    if not daily_tick.get_backend().supports_defer:
        logger.warning("The task backend cannot run tasks later; use cron with `manage.py run_daily`.")
        return None, False
    at = next_tick_at(now)
    with transaction.atomic():
        _serialise()
        if Job.objects.filter(kind=SCHEDULE_KIND, parameters__at=at.isoformat()).exists():
            return at, False
        Job.objects.create(
            kind=SCHEDULE_KIND,
            status=JobStatus.DONE,
            parameters={"at": at.isoformat()},
            finished_at=clock.now(),
        )
        transaction.on_commit(lambda: daily_tick.using(run_after=at).enqueue())
    return at, True


@task()
def daily_tick() -> dict[str, object]:
    """Queue tomorrow's tick first (a crash below must not break the chain), then run
    today's reminder functions, each at most once."""
    schedule_next_tick()
    return run_daily().as_dict()
