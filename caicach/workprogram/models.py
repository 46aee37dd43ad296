"""Work program (chương trình công tác): a yearly program issued by the committee's decision,
its items (nội dung, đề án), the lead units' requests to adjust them and the units' monthly
reports on their progress (seed 001)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.models import CommitteeSettings, FoldedSearchMixin, RegisteredDocument, Unit
from caicach.core.months import month_label


class WorkProgramSettings(CommitteeSettings):
    """What a province sets differently (seed 001's values are the defaults). One row per
    committee; a committee without a row uses the defaults (``settings_for``)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("UBND"), on_delete=models.CASCADE, related_name="work_program_settings"
    )
    # Units report BEFORE this day of the month: the last on-time day is report_day - 1.
    # Every month has a 28th: a later day would skip February.
    report_day = models.PositiveSmallIntegerField(
        _("hạn gửi báo cáo (trước ngày)"),
        default=15,
        validators=[MinValueValidator(2), MaxValueValidator(28)],
    )
    report_reminder_working_days = models.PositiveSmallIntegerField(
        _("nhắc báo cáo trước (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    overdue_grace_days = models.PositiveSmallIntegerField(
        _("số ngày ân hạn trước khi tính quá hạn"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["unit"]
        verbose_name = _("thiết lập chương trình công tác")
        verbose_name_plural = _("thiết lập chương trình công tác")

    def __str__(self) -> str:
        return str(_("Thiết lập chương trình công tác của %(unit)s") % {"unit": self.unit})


class AdjustmentReason(models.Model):
    """An allowed reason for adjusting the program (seed 001; the Office may edit the list)."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    label = models.CharField(_("lý do"), max_length=255)
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "code"]
        verbose_name = _("lý do điều chỉnh")
        verbose_name_plural = _("lý do điều chỉnh")

    def __str__(self) -> str:
        return self.label


class WorkProgram(models.Model):
    """A committee's yearly work program, issued by a decision.

    ``created_at`` here and below comes from the services' clock (caicach.core.clock), so
    the demo's replayed records carry their 2024 dates."""

    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="work_programs"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("tên chương trình"), max_length=500)
    decision_number = models.CharField(_("số quyết định ban hành"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-year", "issuing_unit", "-id"]
        verbose_name = _("chương trình công tác")
        verbose_name_plural = _("chương trình công tác")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["issuing_unit", "year"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workprogram:program_detail", args=[self.pk])


class SubmissionKind(models.TextChoices):
    COMMITTEE = "committee", _("Trình UBND tỉnh")
    CHAIRMAN = "chairman", _("Trình Chủ tịch UBND tỉnh")
    PARTY_COMMITTEE = "party_committee", _("Trình Ban cán sự đảng UBND tỉnh")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Chưa trình")
    SUBMITTED = "submitted", _("Đã trình")
    ISSUED = "issued", _("Đã ban hành")
    POSTPONED = "postponed", _("Đã lùi sang năm sau / hoãn")
    WITHDRAWN = "withdrawn", _("Đã rút khỏi chương trình")


class ProgramItem(FoldedSearchMixin, models.Model):
    """One item (nội dung, đề án) of a program. "Overdue" is derived, never stored:
    planned and past the last day of its due month (plus the grace days) — see queries.overdue_q."""

    program = models.ForeignKey(
        WorkProgram, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="items"
    )
    # A year's program holds a few hundred items.
    position = models.PositiveIntegerField(
        _("số thứ tự"), default=0, validators=[MinValueValidator(0), MaxValueValidator(9999)]
    )
    title = models.TextField(_("nội dung, đề án"))
    submission_kind = models.CharField(
        _("hình thức trình"), max_length=32, choices=SubmissionKind.choices, default=SubmissionKind.COMMITTEE
    )
    is_legal_document = models.BooleanField(_("văn bản quy phạm pháp luật"), default=False)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="program_items_led"
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="program_items_coordinated"
    )
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="program_items_supervised",
    )
    monitoring_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên theo dõi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="program_items_monitored",
    )
    # Always the first day of the month.
    due_month = models.DateField(_("thời gian trình"))
    original_due_month = models.DateField(_("thời gian trình theo chương trình ban đầu"))
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED, db_index=True
    )
    submitted_on = models.DateField(_("ngày trình"), null=True, blank=True)
    submission_reference = models.CharField(_("số tờ trình"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_reference = models.CharField(_("số văn bản ban hành"), max_length=64, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    # Title folded (caicach.core.text.fold) so the program page searches in SQL, accent-blind.
    search_text = models.TextField(default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("title",)

    class Meta:
        ordering: ClassVar[list[str]] = ["program", "position", "id"]
        verbose_name = _("nội dung chương trình công tác")
        verbose_name_plural = _("nội dung chương trình công tác")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["program", "lead_unit", "due_month"]),
            models.Index(fields=["status", "due_month"]),
            models.Index(fields=["supervising_leader"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workprogram:item_detail", args=[self.pk])


class AdjustmentKind(models.TextChoices):
    ADD = "add", _("Bổ sung")
    CHANGE = "change", _("Điều chỉnh nội dung")
    POSTPONE = "postpone", _("Lùi thời gian trình")
    WITHDRAW = "withdraw", _("Rút khỏi chương trình")


class RequestStatus(models.TextChoices):
    # Drafted by the unit's staff: the unit head approves (and signs) before it is filed.
    AWAITING_HEAD = "awaiting_head", _("Chờ lãnh đạo đơn vị duyệt")
    RETURNED = "returned", _("Lãnh đạo đơn vị trả lại")
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đã chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")


class AdjustmentRequest(models.Model):
    """A lead unit's request to add, change, postpone or withdraw an item; only the
    supervising leader's approval changes the program."""

    program = models.ForeignKey(
        WorkProgram,
        verbose_name=_("chương trình"),
        on_delete=models.CASCADE,
        related_name="adjustment_requests",
    )
    # Null for an addition until it is approved; then the item it created.
    item = models.ForeignKey(
        ProgramItem,
        verbose_name=_("nội dung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adjustment_requests",
    )
    kind = models.CharField(_("loại đề nghị"), max_length=16, choices=AdjustmentKind.choices)
    reason = models.ForeignKey(
        AdjustmentReason, verbose_name=_("lý do"), on_delete=models.PROTECT, related_name="requests"
    )
    explanation = models.TextField(_("giải trình lý do"))
    necessity = models.TextField(_("sự cần thiết"))
    impact = models.TextField(_("tác động đến công tác chỉ đạo, điều hành"))
    proposed_month = models.DateField(_("thời gian trình đề nghị"), null=True, blank=True)
    proposed_title = models.TextField(_("nội dung đề nghị"), blank=True)
    # For an addition: submission_kind, is_legal_document, supervising_leader (pk),
    # coordinating_units (pks), notes — what the new item gets on approval.
    proposed_data = models.JSONField(_("dữ liệu đề nghị"), default=dict, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="adjustment_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="adjustment_requests",
    )
    # Who decides: the item's supervising leader (for an addition, the leader proposed to
    # supervise the new item), fixed when the request is filed.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustment_requests_to_decide",
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustment_decisions",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    # The unit head who signs the Tờ trình: the one who approved the staff's draft, or who
    # filed it in person. Null while the draft awaits them.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký tờ trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustment_requests_signed",
    )
    head_note = models.TextField(_("ý kiến của lãnh đạo đơn vị"), blank=True)
    # The unit's Tờ trình (numbered in its register when filed) and the committee's notice of
    # the leader's decision (numbered when decided): both print in the Decree 30 layout.
    request_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số tờ trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số văn bản trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("đề nghị điều chỉnh")
        verbose_name_plural = _("đề nghị điều chỉnh")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["-created_at", "-id"], name="adjustment_newest_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One pending request per item: the service checks first, this catches a race.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="pending"),
                name="adjustment_one_pending_per_item",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Đề nghị %(kind)s: %(title)s")
            % {"kind": self.get_kind_display().lower(), "title": self.proposed_title or self.item or ""}
        )

    def get_absolute_url(self) -> str:
        return reverse("workprogram:request_detail", args=[self.pk])


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class MonthlyReport(models.Model):
    """A unit's monthly report on the items it leads."""

    program = models.ForeignKey(
        WorkProgram, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="monthly_reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    # First day of the month reported on.
    period = models.DateField(_("kỳ báo cáo"))
    due_date = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(_("gửi muộn"), default=False)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    recommendations = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-period", "unit"]
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["period", "unit"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["program", "unit", "period"], name="monthly_report_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Báo cáo tháng %(month)s của %(unit)s") % {"month": month_label(self.period), "unit": self.unit}
        )


class MonthlySummary(models.Model):
    """The Office's numbered monthly summary report (BC) on the program, per month."""

    program = models.ForeignKey(
        WorkProgram,
        verbose_name=_("chương trình"),
        on_delete=models.CASCADE,
        related_name="monthly_summaries",
    )
    period = models.DateField(_("kỳ báo cáo"))
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    registered_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    assessment = models.TextField(_("đánh giá chung"), blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    # The DOCX frozen when issued (a path in default storage): an issued, numbered report
    # always downloads exactly as issued, whatever the items became since.
    document_file = models.CharField(_("tệp báo cáo đã ban hành"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-period", "-id"]
        verbose_name = _("báo cáo tổng hợp tháng")
        verbose_name_plural = _("báo cáo tổng hợp tháng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["program", "period"], name="monthly_summary_unique_period"),
        ]

    def __str__(self) -> str:
        return str(
            _("Báo cáo tình hình thực hiện Chương trình công tác tháng %(month)s")
            % {"month": f"{self.period.month}/{self.period.year}"}
        )


class LineStatus(models.TextChoices):
    ON_TRACK = "on_track", _("Đúng tiến độ")
    DONE = "done", _("Đã hoàn thành")
    DELAYED = "delayed", _("Chậm tiến độ")


class MonthlyReportLine(models.Model):
    """The progress of one item in a monthly report."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        ProgramItem, verbose_name=_("nội dung"), on_delete=models.CASCADE, related_name="report_lines"
    )
    status = models.CharField(
        _("tiến độ"), max_length=16, choices=LineStatus.choices, default=LineStatus.ON_TRACK
    )
    progress_note = models.TextField(_("kết quả thực hiện"), blank=True)
    delay_cause = models.TextField(_("nguyên nhân chậm"), blank=True)
    remedy = models.TextField(_("giải pháp khắc phục"), blank=True)
    expected_date = models.DateField(_("dự kiến hoàn thành"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["report", "item__position", "item_id"]
        verbose_name = _("dòng báo cáo tháng")
        verbose_name_plural = _("dòng báo cáo tháng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "item"], name="monthly_report_line_unique_item"),
        ]

    def __str__(self) -> str:
        return str(self.item)


def adjustment_subject(request: AdjustmentRequest) -> str:
    """'đề nghị lùi thời gian trình nội dung “…”': the request's object in a sentence (the
    Tờ trình's "Về việc", the notifications, the decision notice). Always Vietnamese."""
    title = request.item.title if request.item_id and request.item is not None else request.proposed_title
    verbs = {
        AdjustmentKind.ADD: "đề nghị bổ sung nội dung",
        AdjustmentKind.CHANGE: "đề nghị điều chỉnh nội dung",
        AdjustmentKind.POSTPONE: "đề nghị lùi thời gian trình nội dung",
        AdjustmentKind.WITHDRAW: "đề nghị rút nội dung",
    }
    return f"{verbs[AdjustmentKind(request.kind)]} “{title}”"
