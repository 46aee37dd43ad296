"""Watching a background job: a page with a progress bar that htmx refreshes every second
(and a plain meta refresh without JavaScript), and the download of its result, which only
the person who started the job (or an administrator) may fetch; a failed job can be run
again by its starter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from caicach.core.downloads import ascii_filename, content_disposition
from caicach.core.jobs import services
from caicach.core.models import Job, JobStatus
from caicach.core.permissions import can, get_for_user
from caicach.core.web import acting_user

FINISHED = {JobStatus.DONE, JobStatus.FAILED}


def _local(url: object) -> str:
    """A link the job's starter left for afterwards, only if it stays on this site."""
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


def _watched(request: HttpRequest, pk: int) -> Job:
    """The job, given up on first if its worker died: the user sees the failure even when no
    worker runs to notice it (the check costs nothing while the job is alive)."""
    job = get_for_user(request.user, Job.objects.all(), pk, "view")
    services.job_recover(job)
    return job


def _context(request: HttpRequest, job: Job) -> dict[str, object]:
    return {
        "job": job,
        "finished": job.status in FINISHED,
        "label": services.job_label(job.kind),
        "restartable": services.restartable(job) and can(request.user, "restart", job),
        # Where to go next: the imported object once done, the form again after a refusal.
        "done_url": _local(job.parameters.get("done_url")),
        "retry_url": _local(job.parameters.get("retry_url")),
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _watched(request, pk)
    return render(request, "core/jobs/detail.html", _context(request, job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _watched(request, pk)
    return render(request, "core/jobs/_progress.html", _context(request, job))


@login_required
@require_POST
def job_restart(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(request.user, Job.objects.all(), pk, "restart")
    try:
        new = services.job_restart(job=job, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("job_detail", pk=job.pk)
    return redirect("job_detail", pk=new.pk)


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
