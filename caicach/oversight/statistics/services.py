"""The periodic report on task performance: the Office drafts it for a committee and a
period; a leader of the committee signs and issues it (whoever signs approves): the next
"BC" number of the committee's register, the signer's block, and the DOCX frozen."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from caicach.core import chronology, clock, numbering, rendering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Unit, User
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.oversight.models import TaskReport
from caicach.oversight.statistics.documents import task_report_spec
from caicach.oversight.statistics.queries import REPORT_FILES, report_data, report_period
from caicach.replication.directives.documents import leader_signature

REPORT_FIELDS = ("assessment", "recipients")
DEFAULT_RECIPIENTS = "\n".join(
    (
        "- Thường trực Tỉnh ủy;",
        "- Thường trực HĐND tỉnh;",
        "- Chủ tịch, các PCT UBND tỉnh;",
        "- Các sở, ban, ngành;",
        "- Lưu: VT, VP.",
    )
)


def _clean(data: dict[str, Any]) -> dict[str, str]:
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    return {name: str(normalise_input(value or "")).strip() for name, value in data.items()}


def _validate(report: TaskReport) -> None:
    lines = [line.strip() for line in report.recipients.splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"recipients": _("Vui lòng nhập nơi nhận.")})
    if not lines[-1].lstrip("- ").startswith("Lưu"):
        raise ValidationError({"recipients": _("Dòng cuối của nơi nhận phải là “Lưu: VT, …”.")})


@transaction.atomic
def task_report_create(
    *, actor: User, committee: Unit, start: datetime.date, end: datetime.date, data: dict[str, Any]
) -> TaskReport:
    authorize(actor, "oversight.draft_task_report", committee)
    if start > end:
        raise ValidationError(_("Từ ngày phải trước hoặc bằng đến ngày."))
    report = TaskReport(
        committee=committee, period_start=start, period_end=end, created_by=actor, **_clean(data)
    )
    _validate(report)
    report.save()
    audit.record(actor=actor, action="task_report.create", obj=report, message=str(report))
    return report


@transaction.atomic
def task_report_save(*, actor: User, report: TaskReport, data: dict[str, Any], version: int) -> TaskReport:
    locked = TaskReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    authorize(actor, "view", locked)
    if locked.registered_document_id is not None:
        raise ValidationError(_("Báo cáo đã ban hành, không thể sửa."))
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    clean = _clean(data)
    before = audit.snapshot(locked, clean.keys())
    for name, value in clean.items():
        setattr(locked, name, value)
    _validate(locked)
    changes = audit.diff(before, locked)
    locked.version += 1
    locked.save(update_fields=[*clean.keys(), "version", "updated_at"])
    audit.record(actor=actor, action="task_report.update", obj=locked, changes=changes)
    return locked


def _freeze(report: TaskReport) -> str:
    """Render the issued report once and keep the file: it downloads exactly as issued."""
    assert report.issued_on is not None
    data = report_data(report, as_of=report.issued_on)
    document = rendering.render(task_report_spec(report, data), "docx")
    return default_storage.save(
        f"{REPORT_FILES}/{report.committee_id}/{document.filename}", ContentFile(document.content)
    )


@transaction.atomic
def task_report_issue(
    *, actor: User, report: TaskReport, version: int, issued_on: datetime.date | None = None
) -> TaskReport:
    """The leader signs and issues: the committee's next "BC" number."""
    locked = (
        TaskReport.objects.select_for_update(of=("self",))
        .select_related("committee__parent")
        .get(pk=report.pk)
    )
    authorize(actor, "view", locked)
    if locked.registered_document_id is not None:
        raise ValidationError(_("Báo cáo này đã được ban hành."))
    authorize(actor, "issue", locked)
    check_version(locked.version, version)
    _validate(locked)
    day = issued_on or clock.today()
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày ban hành"), field="issued_on")
    if day > clock.today():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau ngày hôm nay.")})
    if day < locked.period_start:
        raise ValidationError({"issued_on": _("Ngày ban hành không được trước kỳ báo cáo.")})
    signature = leader_signature(actor, for_committee=True)
    numbering.issue(
        obj=locked, document_field="registered_document", unit=locked.committee,
        document_type=DocumentType.REPORT,
        title=f"Báo cáo tình hình thực hiện nhiệm vụ được giao ({report_period(locked).label})",
        issued_on=day, actor=actor, action="task_report.issue",
        stamp={
            "issued_on": day, "signer": actor, "signer_authority": signature.authority,
            "signer_title": signature.title, "signer_name": signature.name,
        },
    )  # fmt: skip
    locked.document_file = _freeze(locked)
    locked.save(update_fields=["document_file"])
    return locked
