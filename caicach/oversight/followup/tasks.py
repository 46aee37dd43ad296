"""Background work of the follow-up: the Excel import, run as a job the Office watches."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler, job_upload
from caicach.core.models import Job, Unit
from caicach.oversight.followup.imports import task_import_xlsx

TASK_IMPORT = "oversight.task_import"


@job_handler(TASK_IMPORT, label=gettext_lazy("Nhập nhiệm vụ được giao từ Excel"))
def _task_import(job: Job, progress: Progress) -> JobOutput:
    """The uploaded sheet into tasks, all or nothing; the row errors go to the job page."""
    committee = Unit.objects.filter(pk=job.parameters.get("committee")).first()
    if committee is None or job.created_by is None:
        raise JobError(_("UBND giao nhiệm vụ không còn tồn tại."))
    with job_upload(job) as file:
        result = task_import_xlsx(
            actor=job.created_by,
            committee=committee,
            file=file,
            filename=str(job.parameters.get("upload_name", "")),
            progress=progress,
        )
    if not result.ok:
        count = len(result.errors)
        raise JobError(
            ngettext("Không nhập được: %(count)s lỗi.", "Không nhập được: %(count)s lỗi.", count)
            % {"count": count},
            [(error.row, error.message) for error in result.errors],
        )
    return JobOutput(message=_("Đã nhập %(count)s nhiệm vụ.") % {"count": result.created})
