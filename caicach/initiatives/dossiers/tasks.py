"""Background work on dossiers: one dossier document as PDF (LibreOffice), and a whole
campaign's received dossiers as one ZIP with a progress bar.

Both check access again when they run: the job may start after the person who asked lost the
right to see what they asked for."""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock, exports, rendering
from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job, SecurityKind
from caicach.core.permissions import can
from caicach.core.security import services as security_log
from caicach.core.text import fold
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.dossiers.documents import (
    DOCUMENT_KINDS,
    DocumentKind,
    dossiers_for_documents,
    render_dossier_document,
)
from caicach.initiatives.dossiers.rules import RECEIVED_STATUSES, may_read_document
from caicach.initiatives.models import Campaign, Initiative, InitiativeAttachment

DOSSIER_PDF = "initiatives.dossier_pdf"
CAMPAIGN_ZIP = "initiatives.campaign_zip"

NO_PDF_MESSAGE = gettext_lazy(
    "Máy chủ chưa cài LibreOffice hoặc phông chữ tiếng Việt (Times New Roman, Liberation Serif) "
    "để tạo bản PDF; vui lòng tải bản DOCX."
)


def slug(text: str, *, words: int = 8) -> str:
    """An ASCII folder or file name stem: "UBND xã Hảo Đước" -> "ubnd-xa-hao-duoc"."""
    parts = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    return "-".join(parts[:words]) or "khong-ten"


@job_handler(DOSSIER_PDF, label=gettext_lazy("Tạo bản PDF văn bản hồ sơ sáng kiến"), idempotent=True)
def dossier_pdf(job: Job, progress: Progress) -> JobOutput:
    """Render ``job.parameters["document"]`` (application, description, receipt) of the
    dossier ``job.parameters["initiative"]`` as PDF."""
    kind = job.parameters.get("document")
    initiative = dossiers_for_documents().filter(pk=job.parameters.get("initiative")).first()
    creator = job.created_by
    if (
        kind not in DOCUMENT_KINDS
        or initiative is None
        or creator is None
        or not can(creator, "view", initiative)
        or not may_read_document(creator, initiative, kind)
    ):
        raise JobError(_("Không tìm thấy hồ sơ hoặc bạn không còn quyền xem hồ sơ này."))
    if kind == "receipt" and initiative.receipt is None:
        raise JobError(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy biên nhận."))
    progress(0, 1)
    try:
        document = render_dossier_document(kind, initiative, "pdf")
    except rendering.RenderingUnavailable as exc:
        raise JobError(str(NO_PDF_MESSAGE)) from exc
    progress(1)
    return JobOutput(content=document.content, name=document.filename, message=_("Đã tạo bản PDF."))


def _attachment_names(attachments: list[InitiativeAttachment]) -> list[tuple[InitiativeAttachment, str]]:
    """Safe, distinct ASCII names inside the dossier's folder: "bang-so-lieu.xlsx",
    "bang-so-lieu-2.xlsx"."""
    named: list[tuple[InitiativeAttachment, str]] = []
    used: set[str] = set()
    for attachment in attachments:
        stem, dot, extension = attachment.original_name.rpartition(".")
        if not dot:
            stem, extension = extension, ""
        extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:8]
        base = slug(stem, words=10)
        name = f"{base}.{extension}" if extension else base
        counter = 2
        while name in used:
            name = f"{base}-{counter}.{extension}" if extension else f"{base}-{counter}"
            counter += 1
        used.add(name)
        named.append((attachment, name))
    return named


@job_handler(
    CAMPAIGN_ZIP, label=gettext_lazy("Tải toàn bộ hồ sơ sáng kiến của đợt phát động (ZIP)"), idempotent=True
)
def campaign_zip(job: Job, progress: Progress) -> JobOutput:
    """Every dossier that reached the campaign (submitted onwards) and that the starter may
    still see: application and description as DOCX, the receipt once accepted, and the
    attached files, in one folder per unit; plus a UTF-8 list of the dossiers."""
    campaign = (
        Campaign.objects.select_related("issuing_unit", "receiving_unit")
        .filter(pk=job.parameters.get("campaign"))
        .first()
    )
    creator = job.created_by
    if campaign is None or creator is None or not can(creator, "change", campaign):
        raise JobError(_("Không tìm thấy đợt phát động hoặc bạn không còn quyền quản lý đợt phát động này."))
    visible = initiatives_for(creator).filter(campaign=campaign, status__in=RECEIVED_STATUSES).values("pk")
    dossiers: list[Initiative] = list(
        dossiers_for_documents().filter(pk__in=visible).order_by("unit__name", "unit_id", "pk")
    )
    if not dossiers:
        raise JobError(_("Đợt phát động chưa có hồ sơ nào được gửi đến."))
    total = len(dossiers)
    progress(0, total)
    security_log.record(
        SecurityKind.PERSONAL_DATA_EXPORT, user=creator, obj=campaign, export="campaign_zip", job=job.pk
    )

    listing = io.StringIO()
    writer = exports.CsvWriter(listing)
    writer.writerow(["STT", "Thư mục", "Đơn vị", "Tên sáng kiến", "Tác giả", "Trạng thái", "Giấy biên nhận"])
    missing_files: list[str] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, initiative in enumerate(dossiers, start=1):
            folder = f"{slug(initiative.unit.name)}/{initiative.pk}-{slug(initiative.title, words=6)}"
            kinds: list[DocumentKind] = ["application", "description"]
            if initiative.receipt is not None:
                kinds.append("receipt")
            for kind in kinds:
                document = render_dossier_document(kind, initiative, "docx")
                archive.writestr(f"{folder}/{document.filename}", document.content)
            attachments: list[InitiativeAttachment] = getattr(initiative, "current_attachments", [])
            for attachment, name in _attachment_names(attachments):
                try:
                    with attachment.file.open("rb") as stored:
                        archive.writestr(f"{folder}/tep-dinh-kem/{name}", stored.read())
                except OSError:
                    missing_files.append(f"{folder}/tep-dinh-kem/{name} ({attachment.original_name})")
            writer.writerow(
                [
                    done,
                    folder,
                    initiative.unit.name,
                    initiative.title,
                    "; ".join(a.full_name for a in initiative.authorships.all()),
                    initiative.get_status_display(),
                    initiative.receipt.reference if initiative.receipt is not None else "",
                ]
            )
            progress(done)
        # utf-8-sig: Excel opens a CSV with a BOM as UTF-8 and shows the diacritics.
        archive.writestr("danh-sach-ho-so.csv", listing.getvalue().encode("utf-8-sig"))
        if missing_files:
            note = _("Không đọc được các tệp đính kèm sau trên máy chủ:") + "\n" + "\n".join(missing_files)
            archive.writestr("tep-khong-doc-duoc.txt", note.encode("utf-8"))
    stamp = clock.today().strftime("%Y%m%d")
    message = _("Đã đóng gói %(count)s hồ sơ.") % {"count": total}
    if missing_files:
        message += " " + _("%(count)s tệp đính kèm không đọc được (xem tep-khong-doc-duoc.txt).") % {
            "count": len(missing_files)
        }
    return JobOutput(
        content=buffer.getvalue(), name=f"ho-so-sang-kien-dot-{campaign.pk}-{stamp}.zip", message=message
    )
