"""Background work of the work program: the Excel import, run as a job the Office watches."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler, job_upload
from caicach.core.models import Job
from caicach.workprogram.models import WorkProgram
from caicach.workprogram.programs.imports import program_import_xlsx

PROGRAM_IMPORT = "workprogram.program_import"


@job_handler(PROGRAM_IMPORT, label=gettext_lazy("Nhập nội dung chương trình từ Excel"))
def _program_import(job: Job, progress: Progress) -> JobOutput:
    """The uploaded sheet into the program, all or nothing; the row errors go to the job page."""
    program = (
        WorkProgram.objects.select_related("issuing_unit").filter(pk=job.parameters.get("program")).first()
    )
    if program is None or job.created_by is None:
        raise JobError(_("Chương trình công tác không còn tồn tại."))
    with job_upload(job) as file:
        result = program_import_xlsx(
            actor=job.created_by,
            program=program,
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
    return JobOutput(message=_("Đã nhập %(count)s nội dung vào chương trình.") % {"count": result.created})
