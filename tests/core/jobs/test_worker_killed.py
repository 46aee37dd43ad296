"""A real ``db_worker`` process killed (SIGKILL) in the middle of a job: the job does not stay
"running" — it is failed and shown so with "Chạy lại", or, when it is idempotent, run again
by the next worker to the end."""

from __future__ import annotations

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.jobs.services import job_start
from caicach.core.models import AuditEvent, Job, JobStatus
from tests.conftest import People
from tests.core.jobs.slow_jobs import SLOW_BUILD, SLOW_WRITE

# The worker is another process: it sees only committed rows.
pytestmark = [pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
WAIT = 90  # seconds; the machine may be busy

# Every process a test started: one a failed test leaves running would hold the test
# database open, and the tests after it that need it alone (the backup's) would fail too.
_started: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test() -> Iterator[None]:
    yield
    while _started:
        process = _started.pop()
        if process.poll() is None:
            process.kill()
            process.wait()


class WorkerDatabase:
    """The database a worker process can open. On PostgreSQL it is the test database
    itself. SQLite's test database lives in this process's memory: the worker gets a file
    copy made with the backup API, and the copy comes back once the worker is gone."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "worker.sqlite3"
        db = connection.settings_dict
        if self.sqlite:
            self.url = f"sqlite:///{self.file}"
        else:
            credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
            address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            self.url = f"postgresql://{credentials}@{address}/{db['NAME']}"

    def hand_over(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def take_back(self) -> None:
        if self.sqlite:
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def job_state(self, pk: int) -> tuple[str, int]:
        """What the worker wrote so far."""
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=10) as db:
                status, progress = db.execute(
                    "SELECT status, progress FROM core_job WHERE id = ?", [pk]
                ).fetchone()
            return str(status), int(progress)
        status, progress = Job.objects.filter(pk=pk).values_list("status", "progress").get()
        return status, progress


@pytest.fixture
def database(tmp_path: Path, settings: Any) -> WorkerDatabase:
    # Enqueued into the database queue, as in the demo, not run inline as in the other tests.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return WorkerDatabase(tmp_path)


def manage(database: WorkerDatabase, tmp_path: Path, *command: str, **env: str) -> subprocess.Popen[bytes]:
    """``manage.py COMMAND`` in a process of its own that also knows the slow test jobs."""
    log = (tmp_path / "worker.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.core.jobs.manage", *command],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database.url,
            "TASK_BACKEND": "database",
            "CAICACH_TESTING": "0",
            "DJANGO_DEBUG": "0",
            "CAICACH_VAR_DIR": str(tmp_path / "var"),
            "CAICACH_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _started.append(process)
    return process


def worker(database: WorkerDatabase, tmp_path: Path, *options: str) -> subprocess.Popen[bytes]:
    options = ("--no-reload", "--no-startup-delay", "--interval", "0.2", *options)
    return manage(database, tmp_path, "db_worker", *options)


def finish(process: subprocess.Popen[bytes], tmp_path: Path) -> None:
    assert process.wait(timeout=WAIT) == 0, (tmp_path / "worker.log").read_text(errors="replace")


@pytest.fixture
def killed_mid_run(database: WorkerDatabase, tmp_path: Path) -> Iterator[Any]:
    """Start a job, let a real worker take it and report progress, then SIGKILL the worker."""

    def kill(kind: str, owner: Any) -> Job:
        job = job_start(kind=kind, actor=owner, parameters={"steps": 40, "delay": 0.5})
        database.hand_over()
        process = worker(database, tmp_path)
        try:
            deadline = time.monotonic() + WAIT
            while True:
                status, progress = database.job_state(job.pk)
                if status == JobStatus.RUNNING and progress >= 2:
                    break
                assert process.poll() is None, (tmp_path / "worker.log").read_text(errors="replace")
                assert time.monotonic() < deadline, "the worker never got going"
                time.sleep(0.2)
            process.send_signal(signal.SIGKILL)  # no clean-up, no last word: as the OOM killer does
            process.wait(timeout=WAIT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        status, progress = database.job_state(job.pk)
        assert status == JobStatus.RUNNING and 2 <= progress < 40  # what it was left as
        return job

    yield kill


def test_a_killed_job_is_shown_failed_and_can_be_run_again(
    killed_mid_run: Any, database: WorkerDatabase, people: People, client: Client
) -> None:
    job = killed_mid_run(SLOW_WRITE, people.unit_staff)
    database.take_back()

    # No worker runs any more; the starter opens the job page a while later.
    client.force_login(people.unit_staff)
    with clock.travel_to(clock.now() + datetime.timedelta(minutes=django_settings.JOB_STALE_MINUTES + 1)):
        html = client.get(reverse("job_detail", args=[job.pk])).content.decode()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Tiến trình xử lý bị ngắt" in job.message
    assert job.message in html
    assert "every 1s" not in html
    assert f'action="{reverse("job_restart", args=[job.pk])}"' in html
    assert AuditEvent.objects.filter(action="job.fail", object_id=str(job.pk)).exists()


def test_a_killed_idempotent_job_is_run_again_by_the_next_worker_to_the_end(
    killed_mid_run: Any, database: WorkerDatabase, people: People, client: Client, tmp_path: Path
) -> None:
    job = killed_mid_run(SLOW_BUILD, people.unit_staff)

    # As at a worker's start-up (make serve, the README's systemd unit): the watch, then the worker.
    finish(manage(database, tmp_path, "watch_jobs", JOB_STALE_MINUTES="0"), tmp_path)
    assert database.job_state(job.pk)[0] == JobStatus.QUEUED
    finish(worker(database, tmp_path, "--batch"), tmp_path)
    database.take_back()

    job.refresh_from_db()
    assert (job.status, job.attempt, job.progress) == (JobStatus.DONE, 2, 40)
    assert (Path(django_settings.MEDIA_ROOT) / job.result_file).read_bytes() == b"xong"
    actions = AuditEvent.objects.filter(object_id=str(job.pk)).order_by("pk").values_list("action", flat=True)
    assert list(actions) == ["job.start", "job.requeue", "job.finish"]

    client.force_login(people.unit_staff)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert reverse("job_download", args=[job.pk]) in html
    assert "Chạy lại" not in html
