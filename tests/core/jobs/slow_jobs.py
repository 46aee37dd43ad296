"""Slow jobs for the worker kill test, known to the test process and to the worker it
starts (``python -m tests.core.jobs.manage``). No pytest here: the worker must not think it
runs under the test settings."""

from __future__ import annotations

import time

from caicach.core.jobs.services import JobOutput, Progress, job_handler
from caicach.core.models import Job

SLOW_BUILD = "tests.slow_build"
SLOW_WRITE = "tests.slow_write"


def _dawdle(job: Job, progress: Progress) -> JobOutput:
    steps = int(job.parameters["steps"])
    # The first run is slow enough to be killed in the middle; a second run finishes at once.
    delay = float(job.parameters["delay"]) if job.attempt == 1 else 0.0
    for done in range(steps):
        progress(done, steps)
        time.sleep(delay)
    progress(steps)
    return JobOutput(content=b"xong", name="ket-qua.txt", message="Đã xong.")


job_handler(SLOW_BUILD, label="Lập tệp chậm (thử)", idempotent=True)(_dawdle)
job_handler(SLOW_WRITE, label="Ghi dữ liệu chậm (thử)")(_dawdle)
