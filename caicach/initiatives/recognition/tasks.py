"""Background work of recognition: certificates for a whole campaign at once (each one takes
a register number under a lock, so a big campaign is not numbered inside a request)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job
from caicach.core.permissions import can
from caicach.initiatives.models import Campaign
from caicach.initiatives.recognition.services import BulkIssue, certificates_issue_all

CERTIFICATES_ISSUE = "initiatives.certificates_issue"


def bulk_issue_message(result: BulkIssue) -> str:
    message = _("Đã cấp %(count)s giấy chứng nhận.") % {"count": len(result.issued)}
    if result.failures:
        message += " " + _("Chưa cấp được: %(reasons)s") % {"reasons": "; ".join(result.failures)}
    return message


@job_handler(CERTIFICATES_ISSUE, label=gettext_lazy("Cấp giấy chứng nhận sáng kiến cho cả đợt"))
def certificates_issue_job(job: Job, progress: Progress) -> JobOutput:
    """A certificate for every recognised initiative of ``job.parameters["campaign"]`` listed
    in a decision and still without one. Access is checked again: the job may run after the
    person who started it lost the right to manage the campaign."""
    campaign = Campaign.objects.filter(pk=job.parameters.get("campaign")).first()
    actor = job.created_by
    if campaign is None or actor is None or not can(actor, "change", campaign):
        raise JobError(_("Không tìm thấy đợt phát động hoặc bạn không còn quyền cấp giấy chứng nhận."))
    progress(0)
    result = certificates_issue_all(campaign=campaign, actor=actor, progress=progress)
    return JobOutput(message=bulk_issue_message(result))
