"""Background jobs the user can watch: a ``Job`` row carries status, progress and the
result file; the work itself runs in the task ``run_job`` below.

An app declares what a kind of job does with ``@job_handler("initiatives.dossier_zip")``;
the handler receives the job and a progress callback and returns a ``JobOutput`` (or
raises ``JobError`` with a message for the user). A view starts one with ``job_start(...)``
and redirects to ``job_detail``, where the user watches the progress bar.

A worker can die mid-run (killed, out of memory, machine restarted) without a word: the
running job beats (``heartbeat_at``) with each progress report, and ``job_watch`` gives up
on a job that fell silent or outran its time limit — it fails it with a message, or queues
it once more when its kind is idempotent. The watch runs when a worker takes a job, in the
daily run, from ``manage.py watch_jobs`` (at worker start-up), and for one job whenever
someone opens its page. A failed job can be started again ("Chạy lại") by its starter."""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.downloads import ascii_filename
from caicach.core.models import Job, JobStatus, User
from caicach.core.permissions import authorize
from caicach.core.text import nfc

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

RESULT_NAME_MAX = 255
# An idempotent job whose worker died is run once more; a second death fails it.
MAX_ATTEMPTS = 2


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


class JobInterrupted(Exception):
    """The watch gave up on this run (failed the job, or queued it again) while it was still
    going: the run stops and writes nothing more."""


JobHandler = Callable[[Job, Progress], JobOutput | None]
_handlers: dict[str, JobHandler] = {}
_labels: dict[str, StrOrPromise] = {}
_idempotent: set[str] = set()
_time_limits: dict[str, int] = {}


def job_handler(
    kind: str, *, label: StrOrPromise = "", idempotent: bool = False, time_limit_minutes: int | None = None
) -> Callable[[JobHandler], JobHandler]:
    """Register what a kind of job does; ``label`` is the heading the user sees while they
    wait ("Xuất danh sách đơn vị"). ``idempotent``: running it twice does no harm (it only
    reads and builds a file, stored when it finishes), so a run its worker abandoned is run
    again once; a job that writes (an import, certificates with numbers) is failed instead
    and the user decides. ``time_limit_minutes``: longer or shorter than the default."""

    def register(fn: JobHandler) -> JobHandler:
        _handlers[kind] = fn
        if label:
            _labels[kind] = label
        if idempotent:
            _idempotent.add(kind)
        if time_limit_minutes is not None:
            _time_limits[kind] = time_limit_minutes
        return fn

    return register


def get_handler(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def job_label(kind: str) -> StrOrPromise:
    return _labels.get(kind) or gettext_lazy("Công việc xử lý nền")


def time_limit(kind: str) -> datetime.timedelta:
    return datetime.timedelta(minutes=_time_limits.get(kind, settings.JOB_TIME_LIMIT_MINUTES))


def restartable(job: Job) -> bool:
    """A failed job can be started again with the same input — unless its input was an
    upload, which is not kept once the job ended: that job offers its form again instead."""
    return job.status == JobStatus.FAILED and job.kind in _handlers and "upload" not in job.parameters


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
    return _create(kind=kind, actor=actor, parameters=parameters, total=total, upload=upload)


def _create(
    *,
    kind: str,
    actor: User | None,
    parameters: dict[str, Any],
    total: int,
    upload: UploadedFile | None = None,
    restart_of: Job | None = None,
) -> Job:
    if kind not in _handlers:
        raise ValueError(f"No handler registered for job kind {kind!r}.")
    job = Job.objects.create(kind=kind, created_by=actor, parameters=parameters, total=total)
    if upload is not None:
        name = safe_result_name(upload.name or "tep-tai-len")
        upload.seek(0)
        stored = default_storage.save(f"jobs/{job.pk}/upload/{ascii_filename(name)}", upload)
        job.parameters = {**parameters, "upload": stored, "upload_name": name}
        job.save(update_fields=["parameters"])
    if restart_of is None:
        audit.record(actor=actor, action="job.start", obj=job, changes={"kind": [None, kind]})
    else:
        audit.record(
            actor=actor,
            action="job.restart",
            obj=job,
            changes={"kind": [None, kind], "restart_of": [None, restart_of.pk]},
        )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: run_job.enqueue(job_id))


@transaction.atomic
def job_restart(*, job: Job, actor: User) -> Job:
    """ "Chạy lại": a new job of the same kind on the same input, started by ``actor``. Only
    the starter may do it (the job runs with its starter's rights, which the handler checks
    again when it runs); the failed job stays as it was, for the record."""
    authorize(actor, "restart", job)
    if not restartable(job):
        raise ValidationError(_("Chỉ chạy lại được công việc đã bị lỗi."))
    parameters = {key: value for key, value in job.parameters.items() if key != "restart_of"}
    return _create(
        kind=job.kind,
        actor=actor,
        parameters={**parameters, "restart_of": job.pk},
        total=job.total,
        restart_of=job,
    )


def job_claim(job: Job) -> bool:
    """QUEUED -> RUNNING, atomically: a task delivered twice runs the job once. Each claim
    is a new attempt, with its own start and first heartbeat."""
    now = clock.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempt=F("attempt") + 1
    )
    if claimed:
        job.refresh_from_db(fields=["status", "started_at", "heartbeat_at", "attempt"])
    return bool(claimed)


def _still_ours(job: Job) -> None:
    """Lock the row and make sure this run still owns it: the watch may have failed the job
    or queued it for another run (``attempt`` moved) while this one was busy."""
    owned = (
        Job.objects.select_for_update()
        .filter(pk=job.pk, status=JobStatus.RUNNING, attempt=job.attempt)
        .exists()
    )
    if not owned:
        raise JobInterrupted(job.pk)


# Progress, finish and failure are the worker reporting on the job, not a user changing
# data: progress is not audited (it would be one event per item); the outcome is.


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    """One cheap UPDATE, which is also the heartbeat; called as often as the handler likes.
    Raises ``JobInterrupted`` when the watch gave up on this run: the handler stops there."""
    if total is not None:
        job.total = max(total, 0)
    job.progress = max(0, min(done, job.total) if job.total else done)
    job.heartbeat_at = clock.now()
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempt=job.attempt).update(
        progress=job.progress, total=job.total, heartbeat_at=job.heartbeat_at
    )
    if not updated:
        raise JobInterrupted(job.pk)


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
    _still_ours(job)
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
    _discard_upload(job)
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
    """The job ended and its uploaded file served its purpose: keep no copy of the user's
    data we do not need (a job queued again keeps it for its next run)."""
    stored = str(job.parameters.get("upload") or "")
    if stored.startswith(f"jobs/{job.pk}/upload/"):
        default_storage.delete(stored)


@transaction.atomic
def job_fail(job: Job, message: str, errors: list[dict[str, Any]] | None = None) -> Job:
    _still_ours(job)
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
    _discard_upload(job)
    return job


# --- the watch over interrupted jobs ------------------------------------------------------------


def interruption(job: Job, now: datetime.datetime | None = None) -> tuple[str, bool] | None:
    """Why a running job must be given up on — (the reason for the user, whether it ran out
    of time) — or None while it is alive. Reads only the row in hand: no query."""
    if job.status != JobStatus.RUNNING or job.kind not in _handlers:
        return None  # not ours: the daily tick's own rows have no handler and no heartbeat
    now = now or clock.now()
    started = job.started_at or job.created_at
    limit = time_limit(job.kind)
    if now - started > limit:
        minutes = int(limit.total_seconds() // 60)
        return (
            _(
                "Tiến trình xử lý bị ngắt vì chạy quá thời gian cho phép (%(minutes)s phút). "
                "Bạn có thể chạy lại; nếu vẫn lỗi, vui lòng liên hệ quản trị hệ thống."
            )
            % {"minutes": minutes},
            True,
        )
    beat = job.heartbeat_at or started
    if now - beat > datetime.timedelta(minutes=settings.JOB_STALE_MINUTES):
        return (
            _(
                "Tiến trình xử lý bị ngắt giữa chừng (máy chủ xử lý nền đã dừng hoặc khởi động lại). "
                "Bạn có thể chạy lại công việc."
            ),
            False,
        )
    return None


def job_recover(job: Job, *, now: datetime.datetime | None = None) -> bool:
    """Give up on ``job`` if it was interrupted: queue it once more when its kind is
    idempotent and its worker died (a job that ran out of time would run out again), fail it
    otherwise. Returns whether it did; ``job`` then holds the new state. Free while the job
    is alive (no query), so the job page may call it on every refresh."""
    now = now or clock.now()
    if interruption(job, now) is None:
        return False
    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk).first()
        found = interruption(locked, now) if locked is not None else None
        if locked is None or found is None:
            return False  # finished, or beat again, while we looked
        reason, timed_out = found
        if not timed_out and locked.kind in _idempotent and locked.attempt < MAX_ATTEMPTS:
            locked.status = JobStatus.QUEUED
            locked.message = _("Tiến trình xử lý bị ngắt giữa chừng; công việc đang được chạy lại tự động.")
            locked.started_at = locked.heartbeat_at = None
            locked.save(update_fields=["status", "message", "started_at", "heartbeat_at"])
            audit.record(
                actor=None,
                action="job.requeue",
                obj=locked,
                changes={"status": [JobStatus.RUNNING, locked.status]},
                message=reason,
            )
            _enqueue(locked)
        else:
            job_fail(locked, reason)
    job.refresh_from_db()
    return True


def job_watch(*, now: datetime.datetime | None = None) -> list[Job]:
    """Give up on every interrupted job; returns them. The running rows are few and read
    through a partial index."""
    now = now or clock.now()
    running = Job.objects.filter(status=JobStatus.RUNNING, kind__in=sorted(_handlers)).order_by("pk")
    return [job for job in running if job_recover(job, now=now)]


def job_execute(job_id: int) -> None:
    """The body of the ``run_job`` task: look for abandoned jobs (a worker that takes work is
    alive to notice them), claim this one, run the handler, record the outcome."""
    job_watch()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not job_claim(job):
        return  # gone, or already taken by another delivery of the same task
    try:
        _run(job)
    except JobInterrupted:
        logger.warning(
            "Job %s (%s) was given up on while it ran; this run's outcome is dropped.", job.pk, job.kind
        )


def _run(job: Job) -> None:
    handler = get_handler(job.kind)
    if handler is None:
        job_fail(job, _("Không tìm thấy chức năng xử lý cho loại công việc này."))
        return

    def progress(done: int, total: int | None = None) -> None:
        job_progress(job, done, total)

    try:
        output = handler(job, progress)
    except JobInterrupted:
        raise  # not a failure of this job: the watch already decided its fate
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
    if output is None:
        output = JobOutput()
    job_finish(job, result_file=output.content, result_name=output.name or None, message=output.message)


@task()
def run_job(job_id: int) -> None:
    """The background task behind every job: runs the registered handler once."""
    job_execute(job_id)
