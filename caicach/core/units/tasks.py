"""Background work of the units area: the unit list exported and imported as jobs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler, job_upload
from caicach.core.models import Job
from caicach.core.units import queries as unit_queries
from caicach.core.units import services as unit_services


@job_handler("core.units_export", label=gettext_lazy("Xuất danh sách đơn vị"), idempotent=True)
def _units_export(job: Job, progress: Progress) -> JobOutput:
    """The unit list as an Excel workbook, built in the background."""
    progress(0, 1)
    content = unit_queries.export_units_xlsx()
    progress(1)
    return JobOutput(content=content, name=_("Danh sách đơn vị.xlsx"))


@job_handler("core.units_import", label=gettext_lazy("Nhập danh sách đơn vị từ Excel"))
def _units_import(job: Job, progress: Progress) -> JobOutput:
    """The uploaded unit list, all or nothing; the row errors go to the job page."""
    if job.created_by is None:
        raise JobError(_("Bạn không còn quyền thực hiện công việc này."))
    with job_upload(job) as file:
        result = unit_services.unit_import_xlsx(actor=job.created_by, file=file, progress=progress)
    if not result.ok:
        count = len(result.errors)
        raise JobError(
            ngettext("Không nhập được: %(count)s lỗi.", "Không nhập được: %(count)s lỗi.", count)
            % {"count": count},
            [(error.row, error.message) for error in result.errors],
        )
    return JobOutput(message=unit_services.import_summary(result))
