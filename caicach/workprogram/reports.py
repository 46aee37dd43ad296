"""Monthly reports of the lead units and the Office's monthly summary (seed 001: units
report "kết quả thực hiện ..., cập nhật tiến độ thực hiện các nội dung chậm trình, làm rõ
nguyên nhân, biện pháp xử lý và tiến độ chuẩn bị các nội dung trình trong tháng; các khó
khăn, vướng mắc phát sinh và kiến nghị giải pháp (nếu có), gửi đến Văn phòng UBND tỉnh
trước ngày 15 hằng tháng").

Rules kept here:

- A report covers one month of one program for one lead unit (``period``, the month it is
  filed in) and is due BEFORE the committee's ``report_day`` of that month: the last
  on-time day is ``report_day - 1``; when that day is a day off the deadline moves to the
  next working day (Civil Code Art. 148, ``caicach.core.calendar``).
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

import calendar as pycalendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caicach.core import audit, calendar, clock, numbering, rendering
from caicach.core.models import DocumentType, Unit, UnitKind, User
from caicach.core.months import month_label
from caicach.core.permissions import authorize
from caicach.core.services.notifications import notify
from caicach.core.text import normalise_input
from caicach.core.versioning import STALE_EDIT_MESSAGE, check_version
from caicach.workprogram import kpis
from caicach.workprogram.documents_reports import monthly_summary_spec
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
from caicach.workprogram.queries import settings_for
from caicach.workprogram.rules import UNIT_ROLES
from caicach.workprogram.rules_reports import expected_units

# --- Periods and deadlines ----------------------------------------------------------------------


def report_due_date(
    program: WorkProgram, period: datetime.date, report_day: int | None = None
) -> datetime.date:
    """The last on-time day of ``program``'s report for ``period``: the day before the
    committee's report day (a report day of 1 means the last day of the previous month), moved
    to the next working day when it falls on a day off (Civil Code Art. 148). Pass
    ``report_day`` to spare reading the settings again."""
    if report_day is None:
        report_day = settings_for(program.issuing_unit_id).report_day
    days_in_month = pycalendar.monthrange(period.year, period.month)[1]
    last_on_time = period + datetime.timedelta(days=min(report_day, days_in_month + 1) - 2)
    return calendar.add_working_days(last_on_time, 0)


def report_months(program: WorkProgram, today: datetime.date) -> list[datetime.date]:
    """The months a report may be filed for: the program's year up to the current month."""
    return [
        datetime.date(program.year, month, 1)
        for month in range(1, 13)
        if datetime.date(program.year, month, 1) <= today.replace(day=1)
    ]


def check_period(program: WorkProgram, period: datetime.date, today: datetime.date) -> None:
    if period.day != 1 or period.year != program.year:
        raise ValidationError(_("Kỳ báo cáo phải là một tháng của năm %(year)s.") % {"year": program.year})
    if period > today.replace(day=1):
        raise ValidationError(_("Chưa đến kỳ báo cáo tháng %(month)s.") % {"month": month_label(period)})


# --- Who reports, on what ---------------------------------------------------------------------------


def report_items_q(period: datetime.date) -> Q:
    """The items a report for ``period`` covers: not yet submitted and due up to that month
    (the delayed ones and the month's own), submitted and awaiting the decision whatever
    their month, and every item due in the month whatever became of it (done is news too).
    Withdrawn and postponed items have left the year's work."""
    return (
        Q(status=ItemStatus.PLANNED, due_month__lte=period)
        | Q(status=ItemStatus.SUBMITTED)
        | Q(due_month=period, status__in=(ItemStatus.PLANNED, ItemStatus.SUBMITTED, ItemStatus.ISSUED))
    )


def report_items(program: WorkProgram, unit: Unit | int, period: datetime.date) -> list[ProgramItem]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        ProgramItem.objects.filter(program=program, lead_unit_id=unit_id)
        .filter(report_items_q(period))
        .order_by("due_month", "position", "pk")
    )


@dataclass(frozen=True)
class LineInput:
    item_id: int
    status: str
    progress_note: str = ""
    delay_cause: str = ""
    remedy: str = ""
    expected_date: datetime.date | None = None


@dataclass(frozen=True)
class ReportContent:
    difficulties: str
    recommendations: str
    lines: tuple[LineInput, ...]


def default_status(item: ProgramItem, period: datetime.date) -> str:
    """What the form proposes: submitted or issued items are done; a planned item due before
    the month is delayed; one due in the month is on track."""
    if item.status in (ItemStatus.SUBMITTED, ItemStatus.ISSUED):
        return LineStatus.DONE
    if item.due_month < period:
        return LineStatus.DELAYED
    return LineStatus.ON_TRACK


@dataclass(frozen=True)
class FormLine:
    item: ProgramItem
    values: LineInput


def form_lines(
    program: WorkProgram, unit: Unit, period: datetime.date, report: MonthlyReport | None
) -> list[FormLine]:
    """The rows of the report form: the items open this month, with what the report
    already says about them (a draft being continued) or the proposed status. Lines of a
    saved report whose item has since left the list stay, so nothing written is lost."""
    items = report_items(program, unit, period)
    saved: dict[int, MonthlyReportLine] = {}
    if report is not None:
        saved = {
            line.item_id: line
            for line in report.lines.select_related("item").order_by("item__position", "item_id")
        }
    rows: list[FormLine] = []
    seen: set[int] = set()
    for item in items:
        line = saved.get(item.pk)
        seen.add(item.pk)
        rows.append(
            FormLine(
                item=item,
                values=_line_values(line) if line else LineInput(item.pk, default_status(item, period)),
            )
        )
    for item_id, line in saved.items():
        if item_id not in seen:
            rows.append(FormLine(item=line.item, values=_line_values(line)))
    return rows


def _line_values(line: MonthlyReportLine) -> LineInput:
    return LineInput(
        item_id=line.item_id,
        status=line.status,
        progress_note=line.progress_note,
        delay_cause=line.delay_cause,
        remedy=line.remedy,
        expected_date=line.expected_date,
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
        if line.expected_date is not None and line.expected_date < period:
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


def report_form_url(report: MonthlyReport) -> str:
    return reverse(
        "workprogram:report_form",
        kwargs={
            "pk": report.program_id,
            "unit_id": report.unit_id,
            "year": report.period.year,
            "month": report.period.month,
        },
    )


# --- Who has reported -----------------------------------------------------------------------------


ON_TIME = "on_time"
LATE = "late"
PENDING = "pending"  # not sent, the deadline not yet passed
MISSING = "missing"  # not sent, the deadline passed
FUTURE = "future"  # a month not yet open


@dataclass
class UnitMonthStatus:
    period: datetime.date
    state: str
    report: MonthlyReport | None = None

    @property
    def is_draft(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.DRAFT


@dataclass
class UnitReportRow:
    unit: Unit
    months: list[UnitMonthStatus]

    def count(self, state: str) -> int:
        return sum(1 for month in self.months if month.state == state)

    @property
    def late_count(self) -> int:
        return self.count(LATE)

    @property
    def missing_count(self) -> int:
        return self.count(MISSING)

    @property
    def on_time_count(self) -> int:
        return self.count(ON_TIME)


def report_state(report: MonthlyReport | None, due: datetime.date, today: datetime.date) -> str:
    if report is not None and report.status == ReportStatus.SUBMITTED:
        return LATE if report.is_late else ON_TIME
    return PENDING if today <= due else MISSING


def report_matrix(
    program: WorkProgram,
    units: Sequence[Unit],
    *,
    today: datetime.date,
    months: Sequence[datetime.date] | None = None,
) -> list[UnitReportRow]:
    """Each unit's report state for each month of the program's year (or ``months``): one
    query for the reports, one for the settings, whatever the number of units."""
    months = list(months) if months is not None else [datetime.date(program.year, m, 1) for m in range(1, 13)]
    reports = {
        (report.unit_id, report.period): report
        for report in MonthlyReport.objects.filter(
            program=program, unit__in=[unit.pk for unit in units], period__in=months
        ).select_related("submitted_by")
    }
    report_day = settings_for(program.issuing_unit_id).report_day
    due = {month: report_due_date(program, month, report_day) for month in months}
    rows: list[UnitReportRow] = []
    for unit in units:
        cells = []
        for month in months:
            report = reports.get((unit.pk, month))
            state = FUTURE if month > today.replace(day=1) else report_state(report, due[month], today)
            cells.append(UnitMonthStatus(period=month, state=state, report=report))
        rows.append(UnitReportRow(unit=unit, months=cells))
    return rows


@dataclass(frozen=True)
class MonthCount:
    expected: int
    on_time: int
    late: int
    pending: int
    missing: int
    drafts: int


def month_count(rows: Sequence[UnitReportRow], index: int) -> MonthCount:
    cells = [row.months[index] for row in rows]
    return MonthCount(
        expected=len(cells),
        on_time=sum(1 for c in cells if c.state == ON_TIME),
        late=sum(1 for c in cells if c.state == LATE),
        pending=sum(1 for c in cells if c.state == PENDING),
        missing=sum(1 for c in cells if c.state == MISSING),
        drafts=sum(1 for c in cells if c.is_draft),
    )


# --- The Office's monthly summary --------------------------------------------------------------------

DEFAULT_RECIPIENTS = "\n".join(
    (
        "Thường trực UBND tỉnh;",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
        "Các sở, ban, ngành tỉnh;",
        "Lãnh đạo Văn phòng;",
        "Lưu: VT, TH.",
    )
)


def office_of(program: WorkProgram) -> Unit:
    """The Office (Văn phòng UBND) of the committee issuing ``program``: it compiles and
    issues the summary; the committee itself when it has no Office unit."""
    office = (
        Unit.objects.select_related("parent")
        .filter(parent_id=program.issuing_unit_id, kind=UnitKind.OFFICE)
        .order_by("code")
        .first()
    )
    return office or Unit.objects.select_related("parent").get(pk=program.issuing_unit_id)


SUMMARY_FIELDS = ("assessment", "signer_authority", "signer_title", "signer_name", "recipients")


def summary_for(program: WorkProgram, period: datetime.date) -> MonthlySummary:
    """The saved summary of the month, or an unsaved one with the defaults."""
    found = (
        MonthlySummary.objects.select_related("issuing_unit__parent", "registered_document")
        .filter(program=program, period=period)
        .first()
    )
    if found is not None:
        return found
    return MonthlySummary(
        program=program,
        period=period,
        issuing_unit=office_of(program),
        signer_authority="KT. CHÁNH VĂN PHÒNG",
        signer_title="PHÓ CHÁNH VĂN PHÒNG",
        recipients=DEFAULT_RECIPIENTS,
    )


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


SUMMARY_FILES = "workprogram/summaries"


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


def frozen_summary(summary: MonthlySummary) -> bytes | None:
    """The file kept when ``summary`` was issued, or None (not issued, or the file is gone)."""
    path = summary.document_file
    if not path or not path.startswith(f"{SUMMARY_FILES}/{summary.program_id}/") or ".." in path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            content: bytes = handle.read()
    except OSError:
        return None
    return content


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


@dataclass
class UnitText:
    unit: Unit
    text: str


@dataclass
class SummaryData:
    """What the monthly summary says, read afresh from the items and the units' reports."""

    program: WorkProgram
    period: datetime.date
    as_of: datetime.date
    due_date: datetime.date
    status_rows: list[UnitReportRow]
    counts: MonthCount
    month: kpis.Figures
    year_to_date: kpis.Figures
    unit_rows: list[kpis.UnitFigures]
    delayed: list[tuple[str, kpis.UnfinishedItem]]
    difficulties: list[UnitText]
    recommendations: list[UnitText]

    def units_in(self, state: str) -> list[Unit]:
        return [row.unit for row in self.status_rows if row.months[0].state == state]


def summary_data(program: WorkProgram, period: datetime.date, *, as_of: datetime.date) -> SummaryData:
    """Everything the Office's summary for ``period`` reports, with overdue judged on
    ``as_of`` (the issue date, or today for a draft). A fixed number of queries."""
    units = list(expected_units(program))
    status_rows = report_matrix(program, units, today=as_of, months=[period])
    committee = settings_for(program.issuing_unit_id)
    grace = committee.overdue_grace_days
    everything = Q()
    months = kpis.month_figures(program, everything, today=as_of, grace_days=grace)
    upto = [month for month in months if month.month <= period]
    year_to_date = kpis.total_of(upto)
    unit_rows = kpis.unit_figures(
        program, kpis.year_to_date(period), everything, today=as_of, grace_days=grace
    )
    delayed = [
        (group.unit_name, entry)
        for group in kpis.unfinished_by_unit(program, period, everything, today=as_of, grace_days=grace)
        for entry in group.items
        if entry.is_overdue or (entry.reported_in == period and entry.reported_status == LineStatus.DELAYED)
    ]
    delayed.sort(key=lambda pair: (pair[1].item.due_month, pair[0], pair[1].item.position, pair[1].item.pk))
    reports = [
        cell.report
        for row in status_rows
        for cell in row.months
        if cell.report is not None and cell.report.status == ReportStatus.SUBMITTED
    ]
    unit_by_id = {unit.pk: unit for unit in units}
    return SummaryData(
        program=program,
        period=period,
        as_of=as_of,
        due_date=report_due_date(program, period, committee.report_day),
        status_rows=status_rows,
        counts=month_count(status_rows, 0),
        month=months[period.month - 1],
        year_to_date=year_to_date,
        unit_rows=unit_rows,
        delayed=delayed,
        difficulties=[UnitText(unit_by_id[r.unit_id], r.difficulties) for r in reports if r.difficulties],
        recommendations=[
            UnitText(unit_by_id[r.unit_id], r.recommendations) for r in reports if r.recommendations
        ],
    )
