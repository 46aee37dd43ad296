"""Jobs whose worker died: the heartbeat, the time limit, the watch that fails them (or runs
an idempotent one once more), and "Chạy lại" on the job page."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from caicach.core import choices, clock, reminders
from caicach.core.jobs.services import (
    JobInterrupted,
    JobOutput,
    Progress,
    job_finish,
    job_handler,
    job_progress,
    job_recover,
    job_restart,
    job_watch,
)
from caicach.core.models import AuditEvent, Job, JobStatus, User
from tests.conftest import People

pytestmark = [pytest.mark.django_db]

INTERRUPTED = "Tiến trình xử lý bị ngắt"
WRITES = "tests.interrupted_writes"
BUILDS = "tests.interrupted_builds"
QUICK = "tests.interrupted_quick"


@job_handler(WRITES, label="Ghi dữ liệu thử")
def _writes(job: Job, progress: Progress) -> JobOutput:
    progress(1, 1)
    return JobOutput(message="Đã ghi.")


@job_handler(BUILDS, label="Lập tệp thử", idempotent=True)
def _builds(job: Job, progress: Progress) -> JobOutput:
    progress(1, 1)
    return JobOutput(content=b"tep", name="tep.txt", message="Đã lập tệp.")


@job_handler(QUICK, time_limit_minutes=5)
def _quick(job: Job, progress: Progress) -> JobOutput:
    return JobOutput()


def running(
    owner: User,
    kind: str = WRITES,
    *,
    started: int = 1,
    beat: int | None = None,
    attempt: int = 1,
    **params: Any,
) -> Job:
    """A job a worker claimed ``started`` minutes ago and last reported on ``beat`` minutes ago."""
    now = clock.now()
    return Job.objects.create(
        kind=kind,
        created_by=owner,
        status=JobStatus.RUNNING,
        attempt=attempt,
        parameters=params,
        total=4,
        progress=1,
        started_at=now - datetime.timedelta(minutes=started),
        heartbeat_at=now - datetime.timedelta(minutes=started if beat is None else beat),
    )


def actions(job: Job) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(job.pk)).order_by("pk").values_list("action", flat=True)
    )


# --- the watch ----------------------------------------------------------------------------------


def test_a_job_whose_worker_fell_silent_is_failed_with_a_reason(people: People, settings: Any) -> None:
    settings.JOB_STALE_MINUTES = 10
    job = running(people.unit_staff, started=11)

    assert [j.pk for j in job_watch()] == [job.pk]

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith(INTERRUPTED)
    assert job.finished_at is not None
    assert actions(job) == ["job.fail"]


def test_a_job_that_keeps_beating_is_left_alone(people: People, settings: Any) -> None:
    settings.JOB_STALE_MINUTES = 10
    job = running(people.unit_staff, started=25, beat=9)
    assert job_watch() == []
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert actions(job) == []


def test_a_job_past_its_time_limit_is_failed_even_while_it_beats(people: People, settings: Any) -> None:
    settings.JOB_TIME_LIMIT_MINUTES = 30
    job = running(people.unit_staff, BUILDS, started=31, beat=0)  # idempotent, yet not run again
    job_watch()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "quá thời gian cho phép (30 phút)" in job.message


def test_a_kind_may_set_its_own_time_limit(people: People, settings: Any) -> None:
    settings.JOB_TIME_LIMIT_MINUTES = 30
    quick = running(people.unit_staff, QUICK, started=6, beat=0)
    ordinary = running(people.unit_staff, WRITES, started=6, beat=0)
    assert [j.pk for j in job_watch()] == [quick.pk]
    assert Job.objects.get(pk=ordinary.pk).status == JobStatus.RUNNING


def test_an_idempotent_job_is_run_again_once_and_finishes(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = running(people.unit_staff, BUILDS, started=11)
    with django_capture_on_commit_callbacks(execute=True):
        job_watch()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempt == 2
    assert job.result_name == "tep.txt"
    assert actions(job) == ["job.requeue", "job.finish"]


def test_an_idempotent_job_interrupted_a_second_time_is_failed(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = running(people.unit_staff, BUILDS, started=11, attempt=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_watch()
    # Nothing queued (the audit event only asks to forget the pickers' lists of its table).
    assert [c for c in callbacks if not choices.is_renewal(c)] == []
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith(INTERRUPTED)


def test_jobs_without_a_handler_are_not_watched(people: People) -> None:
    """The daily run's own bookkeeping rows have no heartbeat: they are not the watch's."""
    job = Job.objects.create(kind=reminders.TICK_KIND, status=JobStatus.RUNNING)
    Job.objects.filter(pk=job.pk).update(created_at=clock.now() - datetime.timedelta(days=1))
    assert job_watch() == []


def test_a_run_given_up_on_cannot_report_or_write_its_outcome(people: People) -> None:
    job = running(people.unit_staff, started=11)
    abandoned_run = Job.objects.get(pk=job.pk)
    job_watch()
    with pytest.raises(JobInterrupted):
        job_progress(abandoned_run, 2)
    with pytest.raises(JobInterrupted):
        job_finish(abandoned_run, result_file=b"late", result_name="muon.txt")
    job.refresh_from_db()
    assert (job.status, job.progress, job.result_file) == (JobStatus.FAILED, 1, "")


def test_a_run_replaced_by_a_second_attempt_stops_at_its_next_report(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = running(people.unit_staff, BUILDS, started=11)
    first_run = Job.objects.get(pk=job.pk)
    with django_capture_on_commit_callbacks(execute=False):
        job_watch()  # queued again, the second run not started yet
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempt=2)  # the second run claims it
    with pytest.raises(JobInterrupted):
        job_progress(first_run, 3)
    assert Job.objects.get(pk=job.pk).progress == 1


def test_progress_is_the_heartbeat(people: People) -> None:
    job = running(people.unit_staff, started=9)
    job_progress(job, 2)
    job.refresh_from_db()
    assert clock.now() - job.heartbeat_at < datetime.timedelta(seconds=5)  # type: ignore[operator]


def test_the_daily_run_and_the_command_watch_the_jobs(people: People) -> None:
    first = running(people.unit_staff, started=11)
    report = reminders.run_daily()
    assert "core.job_watch" in report.ran
    assert Job.objects.get(pk=first.pk).status == JobStatus.FAILED

    second = running(people.unit_staff, started=11)
    out = io.StringIO()
    call_command("watch_jobs", stdout=out)
    assert "1 đánh dấu lỗi, 0 được chạy lại" in out.getvalue()
    assert Job.objects.get(pk=second.pk).status == JobStatus.FAILED


def test_recovering_a_live_job_costs_no_query(people: People, django_assert_num_queries: Any) -> None:
    job = running(people.unit_staff, started=1)
    with django_assert_num_queries(0):
        assert job_recover(job) is False


# --- restart ------------------------------------------------------------------------------------


def test_restart_runs_the_same_input_again_as_a_new_audited_job(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    failed = running(people.unit_staff, BUILDS, started=11, attempt=2, campaign=7)
    job_watch()
    with django_capture_on_commit_callbacks(execute=True):
        new = job_restart(job=Job.objects.get(pk=failed.pk), actor=people.unit_staff)
    new.refresh_from_db()
    assert new.pk != failed.pk
    assert (new.kind, new.status, new.created_by) == (BUILDS, JobStatus.DONE, people.unit_staff)
    assert new.parameters == {"campaign": 7, "restart_of": failed.pk}
    event = AuditEvent.objects.get(action="job.restart")
    assert (event.object_id, event.actor, event.changes["restart_of"]) == (
        str(new.pk),
        people.unit_staff,
        [None, failed.pk],
    )
    assert Job.objects.get(pk=failed.pk).status == JobStatus.FAILED  # kept for the record


@pytest.mark.parametrize("persona", ["admin", "unit_head", "outsider"])
def test_only_the_starter_may_restart_a_job(people: People, persona: str) -> None:
    failed = running(people.unit_staff, started=11)
    job_watch()
    before = Job.objects.count()
    with pytest.raises(PermissionDenied):
        job_restart(job=Job.objects.get(pk=failed.pk), actor=getattr(people, persona))
    assert Job.objects.count() == before
    assert not AuditEvent.objects.filter(action="job.restart").exists()


def test_a_job_that_did_not_fail_or_had_an_upload_cannot_be_restarted(people: People) -> None:
    alive = running(people.unit_staff, started=1)
    uploaded = running(people.unit_staff, started=11, upload="jobs/1/upload/a.xlsx")
    job_watch()
    before = Job.objects.count()
    for job in (alive, uploaded):
        with pytest.raises(ValidationError):
            job_restart(job=Job.objects.get(pk=job.pk), actor=people.unit_staff)
    assert Job.objects.count() == before


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["job_detail", "job_progress"])
def test_the_page_shows_an_interrupted_job_as_failed_even_without_a_worker(
    people: People, client: Client, name: str
) -> None:
    job = running(people.unit_staff, started=11)
    client.force_login(people.unit_staff)
    html = client.get(reverse(name, args=[job.pk])).content.decode()
    assert INTERRUPTED in html
    assert "badge-danger" in html
    assert "every 1s" not in html  # no more polling
    assert f'action="{reverse("job_restart", args=[job.pk])}"' in html
    assert "Chạy lại" in html
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_the_page_of_a_live_job_offers_no_restart(people: People, client: Client) -> None:
    job = running(people.unit_staff, started=1)
    client.force_login(people.unit_staff)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "every 1s" in html and "Chạy lại" not in html


def test_an_administrator_sees_the_failure_but_no_restart_button(people: People, client: Client) -> None:
    job = running(people.unit_staff, started=11)
    client.force_login(people.admin)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert INTERRUPTED in html and "Chạy lại" not in html


def test_restarting_from_the_page_opens_the_new_job(
    people: People, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = running(people.unit_staff, BUILDS, started=11, attempt=2)
    client.force_login(people.unit_staff)
    client.get(reverse("job_detail", args=[job.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_restart", args=[job.pk]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[new.pk])
    assert new.status == JobStatus.DONE


def test_restarting_a_job_that_has_not_failed_says_why(people: People, client: Client) -> None:
    job = running(people.unit_staff, started=1)
    client.force_login(people.unit_staff)
    response = client.post(reverse("job_restart", args=[job.pk]), follow=True)
    assert "Chỉ chạy lại được công việc đã bị lỗi." in response.content.decode()
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("outsider", 404), ("unit_head", 404), ("reform_officer", 404), ("admin", 404)],
)
def test_who_may_restart_from_the_page(people: People, client: Client, persona: str, status: int) -> None:
    job = running(people.unit_staff, started=11)
    job_watch()
    if persona != "anonymous":
        client.force_login(getattr(people, persona))
    response = client.post(reverse("job_restart", args=[job.pk]))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert Job.objects.count() == 1


def test_restart_answers_only_post(people: People, client: Client) -> None:
    job = running(people.unit_staff, started=11)
    client.force_login(people.unit_staff)
    assert client.get(reverse("job_restart", args=[job.pk])).status_code == 405
