"""The daily run looks for background jobs whose worker died, in case no worker took any
work since (the watch also runs whenever a worker takes a job)."""

from __future__ import annotations

import datetime

from caicach.core.jobs.services import job_watch
from caicach.core.reminders import daily


@daily("core.job_watch")
def watch_jobs_daily(day: datetime.date) -> None:
    job_watch()
