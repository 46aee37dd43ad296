"""Writes of monitoring: Home Affairs' periodic summary (draft, then issued with the next
"BC" number of its register and kept as issued) and the committee's replication settings."""

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
from caicach.core.models import DocumentType, Role, Unit, User
from caicach.core.permissions import authorize, principal
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.replication.models import Directive, ReplicationSettings, ReplicationSummary
from caicach.replication.monitoring.documents import summary_spec
from caicach.replication.monitoring.queries import summary_data

SUMMARY_TEXT_FIELDS = (
    "assessment",
    "proposals",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)
SUMMARY_FILES = "replication/summaries"
SETTINGS_FIELDS = (
    "default_cycle",
    "report_due_working_days",
    "reminder_working_days",
    "laggard_not_started_months",
)


def _check_summary(summary: ReplicationSummary) -> None:
    errors: dict[str, str] = {}
    for name, label in (("period_start", _("Từ ngày")), ("period_end", _("Đến ngày"))):
        day = getattr(summary, name)
        try:
            chronology.require_within(day, chronology.RECORDED, what=label, field=name)
        except ValidationError as error:
            errors.update({name: " ".join(error.messages)})
    if not errors and summary.period_end < summary.period_start:
        errors["period_end"] = _("“Đến ngày” không được trước “Từ ngày”.")
    if not summary.signer_title.strip():
        errors["signer_title"] = _("Vui lòng nhập chức vụ người ký.")
    lines = [line.strip() for line in summary.recipients.splitlines() if line.strip()]
    if not lines:
        errors["recipients"] = _("Vui lòng nhập nơi nhận.")
    elif not lines[-1].lstrip("- ").startswith("Lưu"):
        errors["recipients"] = _("Dòng cuối của nơi nhận phải là “Lưu: VT, …”.")
    directive = summary.directive if summary.directive_id is not None else None
    if directive is not None and directive.issuing_unit_id != summary.issuing_unit.parent_id:
        errors["directive"] = _("Văn bản chỉ đạo không thuộc UBND mà đơn vị báo cáo.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def replication_summary_save(
    *,
    actor: User,
    data: dict[str, Any],
    version: int | None,
    summary: ReplicationSummary | None = None,
    issuing_unit: Unit | None = None,
) -> ReplicationSummary:
    """Create (``summary`` None, for ``issuing_unit``, a Home Affairs unit of the actor) or
    edit the draft: its period, directive and Home Affairs' own texts. The figures and the
    laggards are read afresh whenever it is printed, and frozen when it is issued."""
    clean: dict[str, Any] = {
        name: str(normalise_input(data.get(name) or "")).strip() for name in SUMMARY_TEXT_FIELDS
    }
    for name in ("period_start", "period_end"):
        clean[name] = data.get(name)
    directive: Directive | None = data.get("directive")
    if summary is None:
        if version is not None or issuing_unit is None:
            raise ValidationError(_("Dữ liệu đã thay đổi, vui lòng tải lại trang."), code="stale")
        who = principal(actor)
        if who is None or issuing_unit.pk not in who.units_with_role(Role.REFORM_OFFICER):
            authorize(actor, "replication.compile_summary")
            raise ValidationError(_("Chỉ công chức của đơn vị mới lập báo cáo của đơn vị."))
        summary = ReplicationSummary(
            issuing_unit=issuing_unit, created_by=actor, directive=directive, **clean
        )
        _check_summary(summary)
        summary.save()
        audit.record(actor=actor, action="replication_summary.create", obj=summary)
        return summary
    locked = (
        ReplicationSummary.objects.select_for_update(of=("self",))
        .select_related("issuing_unit", "directive")
        .get(pk=summary.pk)
    )
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    if locked.registered_document_id is not None:
        raise ValidationError(_("Báo cáo đã ban hành, không thể sửa."))
    names = [*clean, "directive"]
    before = audit.snapshot(locked, names)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.directive = directive
    _check_summary(locked)
    changes = audit.diff(before, locked)
    locked.version += 1
    locked.save(update_fields=[*names, "version", "updated_at"])
    audit.record(actor=actor, action="replication_summary.update", obj=locked, changes=changes)
    summary.version = locked.version
    return locked


def _freeze(summary: ReplicationSummary) -> str:
    """Render the issued report once and keep it: a numbered report downloads exactly as
    issued, whatever the units report afterwards."""
    document = rendering.render(summary_spec(summary, summary_data(summary)), "docx")
    return default_storage.save(
        f"{SUMMARY_FILES}/{summary.pk}/{document.filename}", ContentFile(document.content)
    )


@transaction.atomic
def replication_summary_issue(
    *, actor: User, summary: ReplicationSummary, version: int | None, issued_on: datetime.date | None = None
) -> ReplicationSummary:
    """Issue the report: the next "BC" number of Home Affairs' register, and the file kept."""
    locked = (
        ReplicationSummary.objects.select_for_update(of=("self",))
        .select_related("issuing_unit__parent", "directive__registered_document")
        .get(pk=summary.pk)
    )
    authorize(actor, "issue", locked)
    check_version(locked.version, version)
    if locked.registered_document_id is not None:
        raise ValidationError(_("Báo cáo này đã được ban hành."))
    _check_summary(locked)
    day = issued_on or clock.today()
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày ban hành"), field="issued_on")
    if day < locked.period_end:
        raise ValidationError(_("Ngày ban hành không được trước ngày cuối của kỳ báo cáo."))
    numbering.issue(
        obj=locked, document_field="registered_document", unit=locked.issuing_unit,
        document_type=DocumentType.REPORT,
        title=f"Báo cáo kết quả nhân rộng mô hình, giải pháp đến ngày {locked.period_end:%d/%m/%Y}",
        issued_on=day, actor=actor, action="replication_summary.issue", stamp={"issued_on": day},
    )  # fmt: skip
    locked.document_file = _freeze(locked)
    locked.save(update_fields=["document_file"])
    return locked


@transaction.atomic
def replication_settings_save(
    *, actor: User, committee: Unit, data: dict[str, Any], version: int | None
) -> ReplicationSettings:
    """The committee's reporting regime (seed 004: Home Affairs "hướng dẫn chế độ báo cáo")."""
    authorize(actor, "change_replication_settings", committee)
    found = ReplicationSettings.objects.select_for_update().filter(unit=committee).first()
    created = found is None
    current = found if found is not None else ReplicationSettings(unit=committee)
    check_version(current.version, version)
    before = audit.snapshot(current, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        setattr(current, name, data[name])
    current.full_clean(exclude=["unit"])
    changes = audit.diff(before, current)
    # The defaults shown before any row exists are version 1: saving them makes version 2,
    # so a second page opened on the defaults is stale, not silently overwriting.
    current.version += 1
    if created:
        current.save()
    else:
        current.save(update_fields=[*SETTINGS_FIELDS, "version"])
    audit.record(actor=actor, action="replication_settings.update", obj=current, changes=changes)
    return current
