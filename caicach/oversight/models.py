"""Oversight (seed 001; the national pattern of Decision 42/2014/QĐ-TTg, amended by
23/2018): the tasks a committee and its leaders assign, followed up, urged and checked.

One task, one lead (Decree 39/2022). How a task stands against its deadline — done on time,
done late, overdue, due soon, not yet due — is derived, never stored (``timeliness.py``):
the KPIs count against the original deadline, extensions shown beside them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.models import CommitteeSettings, FoldedSearchMixin, IssuedDocumentFields, Unit


class OversightSettings(CommitteeSettings):
    """What a province sets differently for task follow-up; one row per committee, the
    defaults apply without one."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("UBND"), on_delete=models.CASCADE, related_name="oversight_settings"
    )
    remind_before_working_days = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    overdue_every_working_days = models.PositiveSmallIntegerField(
        _("đôn đốc nhiệm vụ quá hạn sau mỗi (ngày làm việc)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("“sắp đến hạn” trong vòng (ngày làm việc)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # A task overdue and urged this many times (reminders or notices) is "repeatedly overdue".
    repeated_overdue_after = models.PositiveSmallIntegerField(
        _("“chậm trễ nhiều lần” sau số lần đôn đốc"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["unit"]
        verbose_name = _("thiết lập theo dõi nhiệm vụ")
        verbose_name_plural = _("thiết lập theo dõi nhiệm vụ")

    def __str__(self) -> str:
        return str(_("Thiết lập theo dõi nhiệm vụ của %(unit)s") % {"unit": self.unit})


class TaskSource(models.TextChoices):
    DOCUMENT = "document", _("Văn bản chỉ đạo")
    CONCLUSION = "conclusion", _("Kết luận phiên họp")
    ORAL = "oral", _("Chỉ đạo trực tiếp của lãnh đạo")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    WORKING_DAYS = "working_days", _("Số ngày làm việc kể từ ngày văn bản")
    MONTHLY = "monthly", _("Định kỳ hằng tháng")
    QUARTERLY = "quarterly", _("Định kỳ hằng quý")


class ResultKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản ban hành")
    REPORT = "report", _("Báo cáo")
    DECISION = "decision", _("Quyết định")
    OTHER = "other", _("Kết quả khác")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Đã giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class Task(FoldedSearchMixin, models.Model):
    """A task the committee or one of its leaders assigned to exactly one lead unit."""

    committee = models.ForeignKey(
        Unit, verbose_name=_("UBND giao"), on_delete=models.PROTECT, related_name="tasks"
    )
    source = models.CharField(_("nguồn giao"), max_length=16, choices=TaskSource.choices)
    source_reference = models.CharField(_("số, ký hiệu văn bản"), max_length=64, blank=True)
    source_date = models.DateField(_("ngày văn bản, ngày chỉ đạo"))
    source_title = models.CharField(_("trích yếu, tên phiên họp"), max_length=500, blank=True)
    conclusion_point = models.OneToOneField(
        "deliberation.ConclusionPoint",
        verbose_name=_("nội dung kết luận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task",
    )
    content = models.TextField(_("nội dung nhiệm vụ"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo giao"),
        on_delete=models.PROTECT,
        related_name="tasks_assigned",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="tasks_led"
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="tasks_coordinated"
    )
    deadline_kind = models.CharField(
        _("cách tính thời hạn"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # Recurring tasks: the deadline is the current period's; the next period's is set when a
    # period's result is reported (``followup.services``).
    original_deadline = models.DateField(_("thời hạn ban đầu"))
    deadline = models.DateField(_("thời hạn"))
    expected_result_kind = models.CharField(
        _("sản phẩm"), max_length=16, choices=ResultKind.choices, default=ResultKind.DOCUMENT
    )
    expected_result = models.CharField(_("sản phẩm cụ thể"), max_length=500, blank=True)
    monitoring_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên theo dõi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks_monitored",
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result_reference = models.CharField(_("văn bản, kết quả hoàn thành"), max_length=500, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many times the task was urged while overdue (reminders and notices): "repeatedly
    # overdue" compares it with the committee's setting.
    urge_count = models.PositiveSmallIntegerField(_("số lần đôn đốc"), default=0)
    notes = models.TextField(_("ghi chú"), blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("content", "source_reference", "source_title")

    class Meta:
        ordering: ClassVar[list[str]] = ["deadline", "id"]
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["committee", "status", "deadline"]),
            models.Index(fields=["lead_unit", "status", "deadline"]),
            models.Index(fields=["assigned_by", "source_date"]),
            models.Index(fields=["committee", "source_date"]),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="task_done_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="task_cancel_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.content[:120]

    def get_absolute_url(self) -> str:
        return reverse("oversight:task_detail", args=[self.pk])


class TaskProgress(models.Model):
    """A progress note by the lead unit (append-only)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_notes")
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("kết quả thực hiện"))
    reported_on = models.DateField(_("ngày báo cáo"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="oversight/%Y/%m/", max_length=500, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["task_id", "-created_at", "-id"]
        verbose_name = _("báo cáo tiến độ nhiệm vụ")
        verbose_name_plural = _("báo cáo tiến độ nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}%"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý gia hạn")
    REFUSED = "refused", _("Không đồng ý gia hạn")


class Extension(models.Model):
    """A lead unit's request for more time, asked before the deadline; the assigning leader
    (or the Office on delegation) decides. History kept: one row per request."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("lý do xin gia hạn"))
    previous_deadline = models.DateField(_("thời hạn trước khi gia hạn"))
    proposed_deadline = models.DateField(_("thời hạn đề nghị"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now, editable=False)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    new_deadline = models.DateField(_("thời hạn mới"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["task_id", "-requested_at", "-id"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["status", "task"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # At most one request waiting per task.
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="extension_one_pending_per_task"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(new_deadline__isnull=False),
                name="extension_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.proposed_deadline}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    DUE = "due", _("Nhắc đến hạn")
    OVERDUE = "overdue", _("Đôn đốc quá hạn")


class TaskReminder(models.Model):
    """One reminder sent for a task on a day: the daily run skips what is already here, so a
    re-run sends nothing twice."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("loại nhắc"), max_length=16, choices=ReminderKind.choices)
    sent_on = models.DateField(_("ngày nhắc"))
    deadline = models.DateField(_("thời hạn khi nhắc"))
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["task_id", "-sent_on"]
        verbose_name = _("lần nhắc nhiệm vụ")
        verbose_name_plural = _("lần nhắc nhiệm vụ")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["task", "kind", "sent_on"], name="task_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.sent_on}"


class UrgingNotice(IssuedDocumentFields):
    """The Office's urging notice (văn bản đôn đốc) to one unit about its overdue tasks: an
    official letter, numbered and frozen when issued."""

    committee = models.ForeignKey(Unit, verbose_name=_("UBND"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị được đôn đốc"), on_delete=models.PROTECT, related_name="urging_notices"
    )
    tasks = models.ManyToManyField(Task, verbose_name=_("nhiệm vụ"), related_name="urging_notices")
    body = models.TextField(_("nội dung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("văn bản đôn đốc")
        verbose_name_plural = _("văn bản đôn đốc")

    def __str__(self) -> str:
        return str(_("Đôn đốc %(unit)s") % {"unit": self.unit})

    def get_absolute_url(self) -> str:
        return reverse("oversight:notice_detail", args=[self.pk])


# --- statistics: the periodic report on task performance ------------------------------------------


class TaskReport(IssuedDocumentFields):
    """The report on task performance for the committee's regular meeting (Báo cáo tình hình
    thực hiện nhiệm vụ được giao), for a period: drafted by the Office, signed and issued in the
    committee's name by one of its leaders (whoever signs approves), numbered, and frozen
    as a DOCX when issued."""

    committee = models.ForeignKey(Unit, verbose_name=_("UBND"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    assessment = models.TextField(_("đánh giá chung, kiến nghị"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-period_end", "-id"]
        verbose_name = _("báo cáo tình hình thực hiện nhiệm vụ")
        verbose_name_plural = _("báo cáo tình hình thực hiện nhiệm vụ")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="task_report_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Báo cáo tình hình thực hiện nhiệm vụ được giao từ %(start)s đến %(end)s")
            % {"start": self.period_start.strftime("%d/%m/%Y"), "end": self.period_end.strftime("%d/%m/%Y")}
        )

    def get_absolute_url(self) -> str:
        return reverse("oversight:task_report_detail", args=[self.pk])
