"""Background work of the initiatives app: the plan as PDF (LibreOffice may take its time,
so it never runs inside a request)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import rendering
from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job
from caicach.core.permissions import can
from caicach.initiatives.campaigns.documents import campaign_plan_spec
from caicach.initiatives.campaigns.queries import campaigns_with_units

CAMPAIGN_PLAN_PDF = "initiatives.campaign_plan_pdf"


@job_handler(
    CAMPAIGN_PLAN_PDF, label=gettext_lazy("Tạo bản PDF Kế hoạch phát động sáng kiến"), idempotent=True
)
def campaign_plan_pdf(job: Job, progress: Progress) -> JobOutput:
    """Render the plan of ``job.parameters["campaign"]`` as PDF. Access is checked again
    here: the job may run after the person who started it lost the right to see the plan."""
    campaign = campaigns_with_units().filter(pk=job.parameters.get("campaign")).first()
    creator = job.created_by
    if campaign is None or creator is None or not can(creator, "view", campaign):
        raise JobError(_("Không tìm thấy kế hoạch hoặc bạn không còn quyền xem kế hoạch này."))
    progress(0, 1)
    try:
        document = rendering.render(campaign_plan_spec(campaign), "pdf")
    except rendering.RenderingUnavailable as exc:
        raise JobError(
            _(
                "Máy chủ chưa cài LibreOffice hoặc phông chữ tiếng Việt (Times New Roman, Liberation Serif) "
                "để tạo bản PDF; vui lòng tải bản DOCX."
            )
        ) from exc
    progress(1)
    return JobOutput(content=document.content, name=document.filename, message=_("Đã tạo bản PDF."))
