"""Background work of directives: the PDF (LibreOffice may take its time, so it never runs
inside a request)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import rendering
from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job
from caicach.core.permissions import can
from caicach.replication.directives import queries
from caicach.replication.directives.documents import directive_spec
from caicach.replication.models import DirectiveStatus

DIRECTIVE_PDF = "replication.directive_pdf"


@job_handler(DIRECTIVE_PDF, label=gettext_lazy("Tạo bản PDF văn bản chỉ đạo nhân rộng"), idempotent=True)
def directive_pdf(job: Job, progress: Progress) -> JobOutput:
    """The directive of ``job.parameters["directive"]`` as PDF: the frozen DOCX once issued,
    the draft otherwise (signed by the leader who asked, when a leader asked). Access is
    checked again: the job may run after its creator lost the right to see it."""
    directive = queries.directive_queryset().filter(pk=job.parameters.get("directive")).first()
    creator = job.created_by
    if directive is None or creator is None or not can(creator, "view", directive):
        raise JobError(_("Không tìm thấy văn bản hoặc bạn không còn quyền xem văn bản này."))
    progress(0, 1)
    try:
        if directive.status == DirectiveStatus.ISSUED and directive.document_file:
            with default_storage.open(directive.document_file, "rb") as frozen:
                content = rendering.render_pdf(frozen.read())
            name = directive.document_file.rsplit("/", 1)[-1].rsplit(".", 1)[0] + ".pdf"
        else:
            signer = creator if can(creator, "issue", directive) else None
            spec = directive_spec(
                directive, queries.listings(directive), queries.assignments(directive), signer=signer
            )
            document = rendering.render(spec, "pdf")
            content, name = document.content, document.filename
    except rendering.RenderingError as exc:
        raise JobError(
            _(
                "Máy chủ chưa cài LibreOffice hoặc phông chữ tiếng Việt (Times New Roman, Liberation Serif) "
                "để tạo bản PDF; vui lòng tải bản DOCX."
            )
        ) from exc
    progress(1)
    return JobOutput(content=content, name=name, message=_("Đã tạo bản PDF."))
