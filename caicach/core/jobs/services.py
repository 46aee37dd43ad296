"""Background jobs the user can watch: a ``Job`` row carries status, progress and the
result file; the work itself runs in the task ``run_job`` below.

An app declares what a kind of job does with ``@job_handler("initiatives.dossier_zip")``;
the handler receives the job and a progress callback and returns a ``JobOutput`` (or
raises ``JobError`` with a message for the user). A view starts one with ``job_start(...)``
and redirects to ``job_detail``, where the user watches the progress bar."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.downloads import ascii_filename
from caicach.core.models import Job, JobStatus, User
from caicach.core.text import nfc

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

RESULT_NAME_MAX = 255


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


@dataclass(frozen=True)
class JobOutput:
    """What a finished handler hands back: the file the user downloads, under the name
    they will see (Vietnamese allowed), and a short message."""

    content: bytes | None = None
    name: str = ""
    message: str = ""


class JobError(Exception):
    """A failure whose message the user should read (in Vietnamese), e.g. "Không có đơn vị
    nào để xuất.", with the ``errors`` they must fix — ``(row, message)`` pairs, row None for
    the whole file — when the job refused its input. Any other exception is logged and shown
    as a generic message."""

    def __init__(self, message: str, errors: Iterable[tuple[int | None, str]] = ()) -> None:
        super().__init__(message)
        self.errors = [{"row": row, "message": str(text)} for row, text in errors]


JobHandler = Callable[[Job, Progress], JobOutput | None]
_handlers: dict[str, JobHandler] = {}
_labels: dict[str, StrOrPromise] = {}


def job_handler(kind: str, *, label: StrOrPromise = "") -> Callable[[JobHandler], JobHandler]:
    """Register what a kind of job does; ``label`` is the heading the user sees while they
    wait ("Xuất danh sách đơn vị")."""

    def register(fn: JobHandler) -> JobHandler:
        _handlers[kind] = fn
        if label:
            _labels[kind] = label
        return fn

    return register


def get_handler(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def job_label(kind: str) -> StrOrPromise:
    return _labels.get(kind) or gettext_lazy("Công việc xử lý nền")


@transaction.atomic
def job_start(
    *,
    kind: str,
    actor: User | None,
    parameters: dict[str, Any],
    total: int = 0,
    upload: UploadedFile | None = None,
) -> Job:
    """Create the status row and queue the work once the row is committed: a worker must
    never look for a job that is not there yet, nor run one whose request rolled back.
    ``upload`` (a file to import) is kept beside the job, outside the web root, for the
    worker to read with ``job_upload``; it is deleted when the job ends."""
    if kind not in _handlers:
        raise ValueError(f"No handler registered for job kind {kind!r}.")
    job = Job.objects.create(kind=kind, created_by=actor, parameters=parameters, total=total)
    if upload is not None:
        name = safe_result_name(upload.name or "tep-tai-len")
        upload.seek(0)
        stored = default_storage.save(f"jobs/{job.pk}/upload/{ascii_filename(name)}", upload)
        job.parameters = {**parameters, "upload": stored, "upload_name": name}
        job.save(update_fields=["parameters"])
    audit.record(actor=actor, action="job.start", obj=job, changes={"kind": [None, kind]})

    job_id = job.pk
    transaction.on_commit(lambda: run_job.enqueue(job_id))
    return job


def job_claim(job: Job) -> bool:
    """QUEUED -> RUNNING, atomically: a task delivered twice runs the job once."""
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    if claimed:
        job.status = JobStatus.RUNNING
    return bool(claimed)


# Progress, finish and failure are the worker reporting on the job, not a user changing
# data: progress is not audited (it would be one event per item); the outcome is.


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    """One cheap UPDATE of two columns; called as often as the handler likes."""
    if total is not None:
        job.total = max(total, 0)
    job.progress = max(0, min(done, job.total) if job.total else done)
    job.save(update_fields=["progress", "total"])


def safe_result_name(name: str) -> str:
    """The download name as the user will see it: NFC, no path, no control characters."""
    base = PurePosixPath(nfc(name).replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return cleaned[:RESULT_NAME_MAX] or "ket-qua"


@transaction.atomic
def job_finish(
    job: Job, *, result_file: bytes | None = None, result_name: str | None = None, message: str = ""
) -> Job:
    """Store the result under MEDIA_ROOT/jobs/<id>/ (outside the web root: it is served only
    through the permission-checked ``job_download`` view) and mark the job done."""
    update_fields = ["status", "progress", "message", "finished_at"]
    if result_file is not None:
        display = safe_result_name(result_name or "ket-qua")
        stored = default_storage.save(f"jobs/{job.pk}/{ascii_filename(display)}", ContentFile(result_file))
        job.result_file = stored
        job.result_name = display
        update_fields += ["result_file", "result_name"]
    job.status = JobStatus.DONE
    job.progress = max(job.progress, job.total)
    job.message = message
    job.finished_at = clock.now()
    job.save(update_fields=update_fields)
    audit.record(
        actor=None, action="job.finish", obj=job, changes={"status": [JobStatus.RUNNING, job.status]}
    )
    return job


def job_upload(job: Job) -> IO[bytes]:
    """The file the user uploaded with the job. Raises ``JobError`` when it is gone."""
    stored = str(job.parameters.get("upload") or "")
    if not stored.startswith(f"jobs/{job.pk}/upload/"):
        raise JobError(_("Không tìm thấy tệp đã tải lên; vui lòng tải tệp lên lại."))
    try:
        return default_storage.open(stored, "rb")
    except FileNotFoundError as exc:
        raise JobError(_("Không tìm thấy tệp đã tải lên; vui lòng tải tệp lên lại.")) from exc


def _discard_upload(job: Job) -> None:
    """The uploaded file served its purpose: keep no copy of the user's data we do not need."""
    stored = str(job.parameters.get("upload") or "")
    if stored.startswith(f"jobs/{job.pk}/upload/"):
        default_storage.delete(stored)


@transaction.atomic
def job_fail(job: Job, message: str, errors: list[dict[str, Any]] | None = None) -> Job:
    job.status = JobStatus.FAILED
    job.message = message
    job.errors = errors or []
    job.finished_at = clock.now()
    job.save(update_fields=["status", "message", "errors", "finished_at"])
    audit.record(
        actor=None,
        action="job.fail",
        obj=job,
        changes={"status": [JobStatus.RUNNING, job.status]},
        message=message,
    )
    return job


def job_execute(job_id: int) -> None:
    """The body of the ``run_job`` task: claim, run the handler, record the outcome."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not job_claim(job):
        return  # gone, or already taken by another delivery of the same task
    handler = get_handler(job.kind)
    if handler is None:
        job_fail(job, _("Không tìm thấy chức năng xử lý cho loại công việc này."))
        return

    def progress(done: int, total: int | None = None) -> None:
        job_progress(job, done, total)

    try:
        output = handler(job, progress)
    except JobError as exc:
        job_fail(job, str(exc), exc.errors)
        return
    except PermissionDenied:
        # The service checks access again when the job runs: the starter may have lost it.
        job_fail(job, _("Bạn không còn quyền thực hiện công việc này."))
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job_fail(job, _("Đã xảy ra lỗi khi xử lý. Vui lòng thử lại hoặc liên hệ quản trị hệ thống."))
        raise  # so the task backend records the traceback too
    finally:
        _discard_upload(job)
    if output is None:
        output = JobOutput()
    job_finish(job, result_file=output.content, result_name=output.name or None, message=output.message)


@task()
def run_job(job_id: int) -> None:
    """The background task behind every job: runs the registered handler once."""
    job_execute(job_id)
