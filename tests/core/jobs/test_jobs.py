"""Background jobs: the status row, the handler registry, the progress page and the
download of the result."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caicach.core import choices
from caicach.core.jobs.services import (
    JobError,
    JobOutput,
    Progress,
    job_handler,
    job_progress,
    job_start,
    job_upload,
    run_job,
)
from caicach.core.models import AuditEvent, Job, JobStatus, User
from tests.conftest import People

pytestmark = [pytest.mark.django_db]

RESULT_NAME = "Danh sách hồ sơ sáng kiến.txt"
calls: list[int] = []


@job_handler("tests.count", label="Đếm hồ sơ")
def _count(job: Job, progress: Progress) -> JobOutput:
    calls.append(job.pk)
    total = int(job.parameters.get("n", 3))
    for i in range(total):
        progress(i + 1, total)
    return JobOutput(content=b"1\n2\n3\n", name=RESULT_NAME, message="Đã lập danh sách.")


@job_handler("tests.refuse")
def _refuse(job: Job, progress: Progress) -> None:
    raise JobError("Không có hồ sơ nào để xuất.")


@job_handler("tests.crash")
def _crash(job: Job, progress: Progress) -> None:
    progress(1, 4)
    raise KeyError("secret internal detail")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    calls.clear()
    return tmp_path


def _run(actor: User, kind: str = "tests.count", capture: Any = None, **parameters: Any) -> Job:
    with capture(execute=True):
        job = job_start(kind=kind, actor=actor, parameters=parameters)
    job.refresh_from_db()
    return job


# --- machinery ---------------------------------------------------------------------------------


def test_the_job_is_queued_only_after_commit(people: People, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tests.count", actor=people.unit_staff, parameters={"n": 3})
    assert calls == []
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    queued = [callback for callback in callbacks if not choices.is_renewal(callback)]
    assert len(queued) == 1
    queued[0]()
    job.refresh_from_db()
    assert calls == [job.pk]
    assert job.status == JobStatus.DONE
    assert (job.progress, job.total, job.percent) == (3, 3, 100)
    assert job.message == "Đã lập danh sách."
    assert job.finished_at is not None


def test_starting_and_finishing_a_job_are_audited(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    actions = set(AuditEvent.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert actions == {"job.start", "job.finish"}


def test_an_unknown_kind_cannot_be_started(people: People) -> None:
    with pytest.raises(ValueError):
        job_start(kind="tests.nobody_handles_this", actor=people.unit_staff, parameters={})


def test_the_result_file_is_stored_outside_the_web_root_under_the_job(
    people: People, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    assert job.result_file.startswith(f"jobs/{job.pk}/")
    assert job.result_name == RESULT_NAME
    assert (_media / job.result_file).read_bytes() == b"1\n2\n3\n"


def test_a_task_delivered_twice_runs_the_job_once(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    run_job.call(job.pk)
    assert calls == [job.pk]


def test_progress_percent(people: People) -> None:
    job = Job.objects.create(kind="tests.count", created_by=people.unit_staff, status=JobStatus.RUNNING)
    assert job.percent == 0
    job_progress(job, 1, 4)
    assert Job.objects.get(pk=job.pk).percent == 25
    job_progress(job, 3)
    assert Job.objects.get(pk=job.pk).percent == 75
    job_progress(job, 99)  # a handler overshooting never shows more than 100 %
    assert Job.objects.get(pk=job.pk).percent == 100


def test_a_handler_refusing_fails_the_job_with_its_message(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, "tests.refuse", capture=django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.message == "Không có hồ sơ nào để xuất."
    assert job.finished_at is not None


def test_a_crashing_handler_fails_the_job_without_leaking_details(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, "tests.crash", capture=django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "Đã xảy ra lỗi khi xử lý" in job.message
    assert "secret" not in job.message
    assert job.progress == 1
    assert AuditEvent.objects.filter(action="job.fail", object_id=str(job.pk)).exists()


def test_the_unit_list_export_runs_in_the_background(
    people: People, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    from openpyxl import load_workbook

    job = _run(people.admin, "core.units_export", capture=django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.message
    assert job.result_name == "Danh sách đơn vị.xlsx"
    sheet = load_workbook(io.BytesIO((_media / job.result_file).read_bytes())).active
    assert sheet is not None
    assert "Sở Nội vụ" in {cell.value for row in sheet.iter_rows() for cell in row}


# --- pages -------------------------------------------------------------------------------------

PAGES = ["job_detail", "job_progress", "job_download"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(
    people: People, client: Client, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    response = client.get(reverse(name, args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["unit_head", "outsider", "reform_officer"])
def test_other_people_cannot_see_a_job(
    people: People, client: Client, django_capture_on_commit_callbacks: Any, name: str, persona: str
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    client.force_login(getattr(people, persona))
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["unit_staff", "admin"])
def test_the_creator_and_administrators_see_the_job(
    people: People, client: Client, django_capture_on_commit_callbacks: Any, name: str, persona: str
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    client.force_login(getattr(people, persona))
    assert client.get(reverse(name, args=[job.pk])).status_code == 200


def test_a_running_job_page_polls_and_shows_the_percent(people: People, client: Client) -> None:
    job = Job.objects.create(
        kind="tests.count", created_by=people.unit_staff, status=JobStatus.RUNNING, progress=2, total=8
    )
    client.force_login(people.unit_staff)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Đếm hồ sơ" in html
    assert '<progress class="progress" max="100" value="25">' in html
    assert "25%" in html
    assert f'hx-get="{reverse("job_progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<meta http-equiv="refresh" content="2">' in html  # without JavaScript
    assert "job_download" not in html and reverse("job_download", args=[job.pk]) not in html


def test_a_finished_job_stops_polling_and_offers_the_download(
    people: People, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    client.force_login(people.unit_staff)
    html = client.get(reverse("job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "http-equiv" not in html
    assert 'value="100"' in html
    assert reverse("job_download", args=[job.pk]) in html
    assert RESULT_NAME in html


def test_a_failed_job_shows_its_message(
    people: People, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, "tests.refuse", capture=django_capture_on_commit_callbacks)
    client.force_login(people.unit_staff)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Không có hồ sơ nào để xuất." in html
    assert "every 1s" not in html  # the finished job stops polling
    assert reverse("job_download", args=[job.pk]) not in html


def test_the_download_has_the_content_and_a_safe_vietnamese_file_name(
    people: People, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks)
    client.force_login(people.unit_staff)
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"1\n2\n3\n"  # type: ignore[attr-defined]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Danh_sach_ho_so_sang_kien.txt"')
    assert f"filename*=utf-8''{quote(RESULT_NAME)}" in disposition


def test_a_hostile_result_name_cannot_break_the_header_or_the_path(
    people: People, client: Client, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    @job_handler("tests.hostile")
    def _hostile(job: Job, progress: Progress) -> JobOutput:
        return JobOutput(content=b"x", name='../../etc/"passwd"\r\nX-Evil: 1.txt')

    job = _run(people.unit_staff, "tests.hostile", capture=django_capture_on_commit_callbacks)
    assert (_media / job.result_file).resolve().is_relative_to(_media / "jobs" / str(job.pk))
    client.force_login(people.unit_staff)
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert "X-Evil" not in response.headers


def test_a_job_without_a_finished_result_has_nothing_to_download(people: People, client: Client) -> None:
    job = Job.objects.create(kind="tests.count", created_by=people.unit_staff, status=JobStatus.RUNNING)
    client.force_login(people.unit_staff)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["job_detail", "job_progress"])
def test_job_pages_run_a_fixed_number_of_queries(
    people: People, client: Client, django_assert_max_num_queries: Any, name: str
) -> None:
    Job.objects.bulk_create(
        [Job(kind="tests.count", created_by=people.unit_staff, status=JobStatus.DONE) for _ in range(30)]
    )
    job = Job.objects.create(
        kind="tests.count", created_by=people.unit_staff, status=JobStatus.RUNNING, total=9
    )
    client.force_login(people.unit_staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse(name, args=[job.pk])).status_code == 200


# --- jobs that take an upload ---------------------------------------------------------------------

seen_uploads: list[bytes] = []


@job_handler("tests.read_upload")
def _read_upload(job: Job, progress: Progress) -> None:
    with job_upload(job) as file:
        seen_uploads.append(file.read())
    raise JobError("Không nhập được: 2 lỗi.", [(3, "thiếu tên."), (None, "tệp thiếu cột “Mã”.")])


def test_an_upload_is_kept_beside_its_job_for_the_worker_and_deleted_when_it_ends(
    people: People, django_capture_on_commit_callbacks: Any, _media: Path
) -> None:
    seen_uploads.clear()
    upload = SimpleUploadedFile("../../đơn vị.xlsx", b"PK\x03\x04 the sheet")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tests.read_upload", actor=people.admin, parameters={}, upload=upload)
    stored = _media / job.parameters["upload"]
    assert stored.parent == _media / "jobs" / str(job.pk) / "upload"  # no path escapes the job
    assert stored.read_bytes() == b"PK\x03\x04 the sheet"
    assert job.parameters["upload_name"] == "đơn vị.xlsx"
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert seen_uploads == [b"PK\x03\x04 the sheet"]
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        {"row": 3, "message": "thiếu tên."},
        {"row": None, "message": "tệp thiếu cột “Mã”."},
    ]
    assert not stored.exists()


def test_a_failed_job_lists_the_rows_to_fix_and_offers_to_try_again(
    people: People, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="tests.read_upload", actor=people.admin, parameters={"retry_url": "/don-vi/nhap/"},
            upload=SimpleUploadedFile("a.xlsx", b"PK"),
        )  # fmt: skip
    client.force_login(people.admin)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "<td>3</td><td>thiếu tên.</td>" in html
    assert "<td>—</td><td>tệp thiếu cột “Mã”.</td>" in html
    assert 'href="/don-vi/nhap/"' in html
    assert "<progress" not in html  # a refused file has no progress to show


@pytest.mark.parametrize("url", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"])
def test_the_links_after_a_job_never_leave_the_site(
    people: People, client: Client, django_capture_on_commit_callbacks: Any, url: str
) -> None:
    job = _run(people.unit_staff, capture=django_capture_on_commit_callbacks, done_url=url)
    client.force_login(people.unit_staff)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert job.status == JobStatus.DONE and "evil" not in html and "javascript" not in html
