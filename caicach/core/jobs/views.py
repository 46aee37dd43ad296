"""Watching a background job: a page with a progress bar that htmx refreshes every second
(and a plain meta refresh without JavaScript), and the download of its result, which only
the person who started the job (or an administrator) may fetch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caicach.core.downloads import ascii_filename, content_disposition
from caicach.core.jobs.services import job_label
from caicach.core.models import Job, JobStatus
from caicach.core.permissions import get_for_user

FINISHED = {JobStatus.DONE, JobStatus.FAILED}


def _local(url: object) -> str:
    """A link the job's starter left for afterwards, only if it stays on this site."""
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


def _context(job: Job) -> dict[str, object]:
    return {
        "job": job,
        "finished": job.status in FINISHED,
        "label": job_label(job.kind),
        # Where to go next: the imported object once done, the form again after a refusal.
        "done_url": _local(job.parameters.get("done_url")),
        "retry_url": _local(job.parameters.get("retry_url")),
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(request.user, Job.objects.all(), pk, "view")
    return render(request, "core/jobs/detail.html", _context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(request.user, Job.objects.all(), pk, "view")
    return render(request, "core/jobs/_progress.html", _context(job))


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_for_user(request.user, Job.objects.all(), pk, "view")
    # The stored path was written by job_finish, but check it anyway: nothing outside the
    # job's own folder is ever served.
    if (
        job.status != JobStatus.DONE
        or not job.result_file.startswith(f"jobs/{job.pk}/")
        or ".." in job.result_file
    ):
        raise Http404
    try:
        handle = default_storage.open(job.result_file, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True)
    response["Content-Disposition"] = content_disposition(job.result_name or ascii_filename(job.result_file))
    response["X-Content-Type-Options"] = "nosniff"
    return response
