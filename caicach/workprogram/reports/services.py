"""Monthly reports of the lead units and the Office's monthly summary (seed 001: units
report "kết quả thực hiện ..., cập nhật tiến độ thực hiện các nội dung chậm trình, làm rõ
nguyên nhân, biện pháp xử lý và tiến độ chuẩn bị các nội dung trình trong tháng; các khó
khăn, vướng mắc phát sinh và kiến nghị giải pháp (nếu có), gửi đến Văn phòng UBND tỉnh
trước ngày 15 hằng tháng").

Rules kept here:

- A report covers one month of one program for one lead unit (``period``, the month it is
  filed in) and is due BEFORE the committee's ``report_day`` of that month: the last
  on-time day is ``report_day - 1``; when that day is a day off the deadline moves to the
  next working day (Civil Code Art. 148, ``caicach.core.calendar.queries``).
- Every lead unit of a non-withdrawn item of the program reports every month of the
  program's year (a unit whose items are all done still says so).
- The form comes prefilled with the unit's items that are open in the month
  (``report_items``). A draft may be saved incomplete; submitting requires every delayed
  item to carry its cause, remedy and expected date.
- A submitted report is closed: only the Office reopens it (for corrections). A reopened
  report keeps the time and lateness of its first submission, so a correction the Office
  asked for does not turn an on-time report late, nor a late one on time.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caicach.core import chronology, clock, numbering, rendering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Unit, User
from caicach.core.months import month_label
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.versioning import STALE_EDIT_MESSAGE, check_version
from caicach.workprogram.models import (
    ItemStatus,
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    MonthlySummary,
    ProgramItem,
    ReportStatus,
    WorkProgram,
)
from caicach.workprogram.programs.rules import UNIT_ROLES
from caicach.workprogram.reports.documents import monthly_summary_spec
from caicach.workprogram.reports.queries import (
    SUMMARY_FIELDS,
    SUMMARY_FILES,
    LineInput,
    ReportContent,
    check_period,
    report_due_date,
    report_form_url,
    report_items,
    summary_data,
    summary_for,
)

# --- Validation ----------------------------------------------------------------------------------


def _clean_content(content: ReportContent) -> ReportContent:
    def text(value: str) -> str:
        return str(normalise_input(value or "")).strip()

    return ReportContent(
        difficulties=text(content.difficulties),
        recommendations=text(content.recommendations),
        lines=tuple(
            LineInput(
                item_id=line.item_id,
                status=line.status,
                progress_note=text(line.progress_note),
                delay_cause=text(line.delay_cause),
                remedy=text(line.remedy),
                expected_date=line.expected_date,
            )
            for line in content.lines
        ),
    )


def _validate(
    program: WorkProgram, unit: Unit, period: datetime.date, content: ReportContent, *, final: bool
) -> dict[int, ProgramItem]:
    """Check the lines against the program and, for a report being sent, completeness.
    Returns the items named by the lines."""
    errors: list[str] = []
    ids = [line.item_id for line in content.lines]
    if len(ids) != len(set(ids)):
        errors.append(_("Một nội dung được báo cáo hai lần."))
    items = {
        item.pk: item
        for item in ProgramItem.objects.filter(pk__in=ids, program=program, lead_unit=unit).exclude(
            status=ItemStatus.WITHDRAWN
        )
    }
    if set(ids) - set(items):
        errors.append(_("Báo cáo có nội dung không thuộc chương trình hoặc không do đơn vị chủ trì."))
    for line in content.lines:
        item = items.get(line.item_id)
        name = _("Nội dung “%(title)s”") % {"title": _short(item.title if item else str(line.item_id))}
        if line.status not in LineStatus.values:
            errors.append(_("%(item)s: tiến độ không hợp lệ.") % {"item": name})
            continue
        if problem := chronology.PLANNED.problem(line.expected_date, what=_("Ngày dự kiến hoàn thành")):
            errors.append(_("%(item)s: %(problem)s") % {"item": name, "problem": problem})
        elif line.expected_date is not None and line.expected_date < period:
            errors.append(
                _("%(item)s: ngày dự kiến hoàn thành không được trước tháng báo cáo.") % {"item": name}
            )
        if final and line.status == LineStatus.DELAYED:
            missing = [
                label
                for label, value in (
                    (_("nguyên nhân chậm"), line.delay_cause),
                    (_("giải pháp khắc phục"), line.remedy),
                    (_("thời gian dự kiến hoàn thành"), line.expected_date),
                )
                if not value
            ]
            if missing:
                errors.append(
                    _("%(item)s chậm tiến độ: vui lòng nêu %(missing)s.")
                    % {"item": name, "missing": ", ".join(str(m) for m in missing)}
                )
    if final:
        required = {item.pk for item in report_items(program, unit, period)}
        if required - set(ids):
            errors.append(
                _(
                    "Danh sách nội dung phải báo cáo đã thay đổi (có nội dung mới). Vui lòng tải lại "
                    "trang, kiểm tra rồi gửi lại."
                )
            )
    if errors:
        raise ValidationError(errors)
    return items


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Services ------------------------------------------------------------------------------------


def _locked_report(
    *, program: WorkProgram, unit: Unit, period: datetime.date, version: int | None
) -> tuple[MonthlyReport, bool]:
    """The unit's report for the month, row-locked; created (as a draft) when the form was
    built for a new report. Someone else having created or changed it since makes the edit
    stale."""
    report = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .filter(program=program, unit=unit, period=period)
        .first()
    )
    if report is not None:
        if version is None:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        check_version(report.version, version)
        return report, False
    if version is not None:
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                program=program, unit=unit, period=period, due_date=report_due_date(program, period)
            )
    except IntegrityError as exc:  # created by someone else between our read and insert
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale") from exc
    return report, True


def progress_message(lines: Sequence[LineInput]) -> str:
    """'Tiến độ 4 nội dung: 1 chậm tiến độ, 2 đúng tiến độ, 1 đã hoàn thành.' for the trail."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = dict(LineStatus.choices)
        counts = [
            f"{sum(1 for line in lines if line.status == status)} {str(labels[status]).lower()}"
            for status in (LineStatus.DELAYED, LineStatus.ON_TRACK, LineStatus.DONE)
            if any(line.status == status for line in lines)
        ]
        return _("Tiến độ %(count)s nội dung: %(detail)s.") % {
            "count": len(lines),
            "detail": ", ".join(counts) or "—",
        }


def _write(
    *,
    actor: User,
    program: WorkProgram,
    unit: Unit,
    period: datetime.date,
    content: ReportContent,
    version: int | None,
    final: bool,
    today: datetime.date,
) -> tuple[MonthlyReport, audit.Changes, bool]:
    authorize(actor, "workprogram.file_report", unit)
    check_period(program, period, today)
    content = _clean_content(content)
    if (
        not ProgramItem.objects.filter(program=program, lead_unit=unit)
        .exclude(status=ItemStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(_("Đơn vị không chủ trì nội dung nào của chương trình này."))
    _validate(program, unit, period, content, final=final)
    report, created = _locked_report(program=program, unit=unit, period=period, version=version)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Báo cáo đã gửi, không thể sửa. Nếu cần bổ sung, đề nghị Văn phòng mở lại báo cáo.")
        )
    before = audit.snapshot(report, ["difficulties", "recommendations"])
    existing = {line.item_id: line for line in report.lines.all()}
    report.difficulties = content.difficulties
    report.recommendations = content.recommendations
    to_create: list[MonthlyReportLine] = []
    to_update: list[MonthlyReportLine] = []
    for values in content.lines:
        line = existing.pop(values.item_id, None)
        if line is None:
            line = MonthlyReportLine(report=report, item_id=values.item_id)
            to_create.append(line)
        else:
            to_update.append(line)
        line.status = values.status
        line.progress_note = values.progress_note
        line.delay_cause = values.delay_cause
        line.remedy = values.remedy
        line.expected_date = values.expected_date
    if existing:
        MonthlyReportLine.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
    MonthlyReportLine.objects.bulk_create(to_create)
    MonthlyReportLine.objects.bulk_update(
        to_update, ["status", "progress_note", "delay_cause", "remedy", "expected_date"]
    )
    changes = audit.diff(before, report)
    if not created:
        report.version += 1
    report.save(update_fields=["difficulties", "recommendations", "version", "updated_at"])
    return report, changes, created


@transaction.atomic
def monthly_report_save_draft(
    *,
    actor: User,
    program: WorkProgram,
    unit: Unit,
    period: datetime.date,
    content: ReportContent,
    version: int | None,
    today: datetime.date | None = None,
) -> MonthlyReport:
    """Save the unit's report for the month as a draft (created on first save). ``version``
    is the report's version the form was built from, None for a new report."""
    report, changes, created = _write(
        actor=actor,
        program=program,
        unit=unit,
        period=period,
        content=content,
        version=version,
        final=False,
        today=today or clock.today(),
    )
    audit.record(
        actor=actor,
        action="monthly_report.create" if created else "monthly_report.update",
        obj=report,
        changes=changes,
        message=progress_message(content.lines),
    )
    return report


@transaction.atomic
def monthly_report_submit(
    *,
    actor: User,
    program: WorkProgram,
    unit: Unit,
    period: datetime.date,
    content: ReportContent,
    version: int | None,
    at: datetime.datetime | None = None,
) -> MonthlyReport:
    """Save and send the unit's report for the month to the Office. ``at`` is the moment of
    sending (now; the demo and tests pass another). Late when sent after the due date."""
    moment = at or clock.now()
    sent_on = timezone.localdate(moment)
    report, changes, _created = _write(
        actor=actor,
        program=program,
        unit=unit,
        period=period,
        content=content,
        version=version,
        final=True,
        today=sent_on,
    )
    report.status = ReportStatus.SUBMITTED
    fields = ["status", "version", "updated_at"]
    changes["status"] = [ReportStatus.DRAFT, ReportStatus.SUBMITTED]
    if report.submitted_at is None:  # a reopened report keeps its first submission
        report.submitted_at = moment
        report.submitted_by = actor
        report.is_late = sent_on > report.due_date
        fields += ["submitted_at", "submitted_by", "is_late"]
        changes["is_late"] = [None, report.is_late]
    report.version += 1
    report.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="monthly_report.submit",
        obj=report,
        changes=changes,
        message=progress_message(content.lines),
    )
    return report


@transaction.atomic
def monthly_report_reopen(*, actor: User, report: MonthlyReport, version: int, reason: str) -> MonthlyReport:
    """The Office sends a submitted report back to its unit for corrections, saying why;
    the unit's head and staff are told."""
    locked = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("program", "unit")
        .get(pk=report.pk)
    )
    authorize(actor, "reopen", locked)
    check_version(locked.version, version)
    if locked.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ mở lại được báo cáo đã gửi."))
    reason = str(normalise_input(reason or "")).strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do mở lại báo cáo.")})
    locked.status = ReportStatus.DRAFT
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="monthly_report.reopen",
        obj=locked,
        changes={"status": [ReportStatus.SUBMITTED, ReportStatus.DRAFT]},
        message=reason,
    )
    recipients = User.objects.filter(
        is_active=True,
        memberships__unit=locked.unit,
        memberships__role__in=UNIT_ROLES,
        memberships__is_active=True,
    ).distinct()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Văn phòng đề nghị bổ sung báo cáo tháng %(month)s") % {"month": month_label(locked.period)}
    notify(recipients=recipients, title=title, body=reason, url=report_form_url(locked))
    return locked


def _validate_summary(summary: MonthlySummary) -> None:
    errors: dict[str, str] = {}
    if not summary.signer_title.strip():
        errors["signer_title"] = _("Vui lòng nhập chức vụ người ký.")
    lines = [line.strip() for line in summary.recipients.splitlines() if line.strip()]
    if not lines:
        errors["recipients"] = _("Vui lòng nhập nơi nhận.")
    elif not lines[-1].lstrip("- ").startswith("Lưu"):
        errors["recipients"] = _("Dòng cuối của nơi nhận phải là “Lưu: VT, …”.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def monthly_summary_save(
    *,
    actor: User,
    program: WorkProgram,
    period: datetime.date,
    data: dict[str, Any],
    version: int | None,
    today: datetime.date | None = None,
) -> MonthlySummary:
    """Save the Office's own parts of the month's summary (assessment, signer, recipients);
    the figures and the units' texts are read afresh whenever it is printed."""
    authorize(actor, "compile_summary", program)
    check_period(program, period, today or clock.today())
    unknown = set(data) - set(SUMMARY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown summary fields: {sorted(unknown)}")
    clean = {name: str(normalise_input(value or "")).strip() for name, value in data.items()}
    summary = (
        MonthlySummary.objects.select_for_update(of=("self",)).filter(program=program, period=period).first()
    )
    created = summary is None
    if summary is None:
        if version is not None:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        summary = summary_for(program, period)
        summary.created_by = actor
    else:
        if version is None:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        check_version(summary.version, version)
    if summary.registered_document_id is not None:
        raise ValidationError(_("Báo cáo đã ban hành, không thể sửa."))
    before = audit.snapshot(summary, clean.keys())
    for name, value in clean.items():
        setattr(summary, name, value)
    _validate_summary(summary)
    changes = audit.diff(before, summary)
    if created:
        try:
            with transaction.atomic():
                summary.save()
        except IntegrityError as exc:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale") from exc
    else:
        summary.version += 1
        summary.save(update_fields=[*clean.keys(), "version", "updated_at"])
    audit.record(
        actor=actor,
        action="monthly_summary.create" if created else "monthly_summary.update",
        obj=summary,
        changes=changes,
    )
    return summary


def _freeze(summary: MonthlySummary) -> str:
    """Render the issued summary once and keep the file: a numbered report downloads
    exactly as issued, whatever changes in the program afterwards. A file left behind by a
    rolled-back issue is harmless (nothing points to it)."""
    assert summary.issued_on is not None
    data = summary_data(summary.program, summary.period, as_of=summary.issued_on)
    document = rendering.render(monthly_summary_spec(summary, data), "docx")
    return default_storage.save(
        f"{SUMMARY_FILES}/{summary.program_id}/{document.filename}", ContentFile(document.content)
    )


@transaction.atomic
def monthly_summary_issue(
    *, actor: User, summary: MonthlySummary, version: int, issued_on: datetime.date | None = None
) -> MonthlySummary:
    """Issue the summary: it takes the next "BC" number of the Office's register."""
    locked = (
        MonthlySummary.objects.select_for_update(of=("self",))
        .select_related("program__issuing_unit", "issuing_unit__parent")
        .get(pk=summary.pk)
    )
    authorize(actor, "compile_summary", locked.program)
    check_version(locked.version, version)
    if locked.registered_document_id is not None:
        raise ValidationError(_("Báo cáo này đã được ban hành."))
    _validate_summary(locked)
    day = issued_on or clock.today()
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày ban hành"), field="issued_on")
    if day < locked.period:
        raise ValidationError(_("Ngày ban hành không được trước tháng báo cáo."))
    numbering.issue(
        obj=locked, document_field="registered_document", unit=locked.issuing_unit,
        document_type=DocumentType.REPORT,
        title=f"Báo cáo tình hình thực hiện Chương trình công tác tháng {month_label(locked.period)}",
        issued_on=day, actor=actor, action="monthly_summary.issue", stamp={"issued_on": day},
    )  # fmt: skip
    # The file is rendered once the number is taken, and kept as issued.
    locked.document_file = _freeze(locked)
    locked.save(update_fields=["document_file"])
    return locked
