"""Background work of the council: its documents as PDF (LibreOffice may take its time, so it
never runs inside a request). One job kind for the minutes, a member's sheet and a blank
sheet; access is checked again when the job runs."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import rendering
from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job, User
from caicach.core.permissions import can
from caicach.core.rendering import DocumentSpec
from caicach.initiatives.review.documents import blank_sheet_for, minutes_for, sheet_for

REVIEW_PDF = "initiatives.review_pdf"
KINDS = ("minutes", "sheet", "blank")


def _refused() -> JobError:
    return JobError(_("Không tìm thấy văn bản hoặc bạn không còn quyền xem văn bản này."))


def review_document_spec(creator: User, parameters: dict[str, Any]) -> DocumentSpec:
    """The spec a job's parameters name, if ``creator`` may still see it."""
    kind = parameters.get("kind")
    if kind == "minutes":
        return minutes_for(creator, parameters.get("council"))
    if kind == "sheet":
        return sheet_for(creator, parameters.get("assignment"))
    if kind == "blank":
        return blank_sheet_for(creator, parameters.get("council"), parameters.get("initiative"))
    raise _refused()


@job_handler(REVIEW_PDF, label=gettext_lazy("Tạo bản PDF văn bản của hội đồng sáng kiến"), idempotent=True)
def review_pdf(job: Job, progress: Progress) -> JobOutput:
    creator = job.created_by
    if creator is None or not can(creator, "initiatives.view_campaigns"):
        raise _refused()
    try:
        spec = review_document_spec(creator, job.parameters)
    except Http404 as exc:
        raise _refused() from exc
    progress(0, 1)
    try:
        document = rendering.render(spec, "pdf")
    except rendering.RenderingUnavailable as exc:
        raise JobError(
            _(
                "Máy chủ chưa cài LibreOffice hoặc phông chữ tiếng Việt (Times New Roman, Liberation Serif) "
                "để tạo bản PDF; vui lòng tải bản DOCX."
            )
        ) from exc
    progress(1)
    return JobOutput(content=document.content, name=document.filename, message=_("Đã tạo bản PDF."))
