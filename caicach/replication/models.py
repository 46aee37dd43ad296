"""Replication (nhân rộng) of recognised models and good practices (seed 004).

A committee's Home Affairs keeps a catalogue of practices (mô hình, giải pháp, cách làm
hay); the chairman issues a directive listing some of them and assigning them to units or
groups of units; an assignment to a group expands, at issue time, into one ``Obligation``
per unit and practice; each obliged unit files an ``AdoptionReport`` per reporting cycle.
Monitoring (the unit × practice matrix, the laggards, the summary report) reads the
obligations and their reports; nothing there is stored twice."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.models import (
    CommitteeSettings,
    DocumentType,
    FoldedSearchMixin,
    ReformField,
    ReformIndex,
    RegisteredDocument,
    Unit,
    UnitKind,
)


class ReportingCycle(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


class ReplicationSettings(CommitteeSettings):
    """What a province sets differently; a committee without a row uses the defaults
    (seed 004 asks Home Affairs to set the reporting regime: quarterly by default)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("UBND"), on_delete=models.CASCADE, related_name="replication_settings"
    )
    default_cycle = models.CharField(
        _("kỳ báo cáo mặc định"),
        max_length=16,
        choices=ReportingCycle.choices,
        default=ReportingCycle.QUARTERLY,
    )
    # The report on a cycle is due this many working days after the cycle's last day.
    report_due_working_days = models.PositiveSmallIntegerField(
        _("hạn báo cáo sau khi hết kỳ (ngày làm việc)"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("nhắc báo cáo trước hạn (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    # A unit still "not started" this many months after the assignment is a laggard.
    laggard_not_started_months = models.PositiveSmallIntegerField(
        _("số tháng chưa triển khai thì bị coi là chậm"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["unit"]
        verbose_name = _("thiết lập nhân rộng")
        verbose_name_plural = _("thiết lập nhân rộng")

    def __str__(self) -> str:
        return str(_("Thiết lập nhân rộng của %(unit)s") % {"unit": self.unit})


class PracticeKind(models.TextChoices):
    MODEL = "model", _("Mô hình")
    SOLUTION = "solution", _("Giải pháp")
    WAY_OF_WORKING = "way_of_working", _("Cách làm hay")


class PracticeStatus(models.TextChoices):
    # Proposed by a unit ("giới thiệu các mô hình, cách làm hay"); Home Affairs evaluates.
    PROPOSED = "proposed", _("Đề xuất, chờ đánh giá")
    ACCEPTED = "accepted", _("Được chọn để nhân rộng")
    DECLINED = "declined", _("Không chọn")


class Practice(FoldedSearchMixin, models.Model):
    """A model, solution or way of working that may be replicated: where it comes from, what
    it improves and how to implement it (seed 004's appendix "cách thức thực hiện")."""

    # The committee whose Home Affairs keeps the catalogue and evaluates proposals.
    committee = models.ForeignKey(
        Unit, verbose_name=_("UBND"), on_delete=models.PROTECT, related_name="practices"
    )
    name = models.CharField(_("tên mô hình, giải pháp"), max_length=500)
    kind = models.CharField(
        _("loại"), max_length=16, choices=PracticeKind.choices, default=PracticeKind.MODEL
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=PracticeStatus.choices, default=PracticeStatus.PROPOSED
    )
    # Ours (a unit of the tree) or another province's (its name as written).
    origin_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị xây dựng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="originated_practices",
    )
    origin_external_name = models.CharField(_("đơn vị xây dựng ngoài tỉnh"), max_length=255, blank=True)
    reform_fields = models.ManyToManyField(
        ReformField, verbose_name=_("lĩnh vực CCHC"), blank=True, related_name="practices"
    )
    indices = models.ManyToManyField(
        ReformIndex, verbose_name=_("chỉ số cải thiện"), blank=True, related_name="practices"
    )
    summary = models.TextField(_("tóm tắt"))
    implementation_steps = models.TextField(_("cách thức thực hiện"), blank=True)
    conditions = models.TextField(_("điều kiện áp dụng"), blank=True)
    cost = models.TextField(_("kinh phí"), blank=True)
    contact = models.TextField(_("đầu mối liên hệ"), blank=True)
    # The recognised initiative it came from (one practice per initiative).
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        verbose_name=_("sáng kiến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề xuất"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị giới thiệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposed_practices",
    )
    # Where the proposing unit saw it, why it suits the province.
    proposal_note = models.TextField(_("nội dung giới thiệu"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)
    evaluation_note = models.TextField(_("ý kiến đánh giá"), blank=True)
    # On the public showcase (only accepted practices may be published).
    is_published = models.BooleanField(_("công khai"), default=False)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    # Public readers, once per reader and day (see PracticeRead); incremented with F().
    read_count = models.PositiveIntegerField(_("số lượt đọc"), default=0, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("name", "summary", "origin_external_name")

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("mô hình, giải pháp")
        verbose_name_plural = _("mô hình, giải pháp")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["committee", "status"]),
            models.Index(fields=["is_published", "-published_at"], name="practice_published_idx"),
            models.Index(fields=["-created_at", "-id"], name="practice_newest_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="accepted"), name="practice_published_accepted"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("replication:practice_detail", args=[self.pk])

    @property
    def origin_name(self) -> str:
        return (
            self.origin_unit.name if self.origin_unit_id and self.origin_unit else self.origin_external_name
        )


class PracticeAttachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="replication/practices/%Y/%m/", max_length=500)
    name = models.CharField(_("tên tệp"), max_length=255)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    # Only files marked public appear on the showcase.
    is_public = models.BooleanField(_("công khai"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["practice", "uploaded_at", "id"]
        verbose_name = _("tệp đính kèm mô hình")
        verbose_name_plural = _("tệp đính kèm mô hình")

    def __str__(self) -> str:
        return self.name


class PracticeRead(models.Model):
    """One public reader of a practice on one day; the unique row is what makes the counter
    count a reader once a day, whatever the number of concurrent requests."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    # A keyed hash of the reader (session or address + agent), never the address itself.
    reader = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-day"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["practice", "reader", "day"], name="practice_read_once_a_day"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["day"], name="practice_read_day_idx")]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.day}"


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Directive(FoldedSearchMixin, models.Model):
    """The chairman's directive (an official letter in seed 004) replicating practices:
    the practices in sections, and the assignments (section III "Trách nhiệm thực hiện")."""

    issuing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="replication_directives",
    )
    # Seed 004 is an official letter (công văn: no type code in its number); a province may
    # issue a plan or a decision instead.
    document_type = models.CharField(
        _("loại văn bản"), max_length=8, choices=DocumentType.choices, default=DocumentType.OFFICIAL_LETTER
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=DirectiveStatus.choices, default=DirectiveStatus.DRAFT
    )
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    preamble = models.TextField(_("nội dung mở đầu"), blank=True)
    closing = models.TextField(_("nội dung kết thúc"), blank=True)
    # Home Affairs: collects, monitors and reports (seed 004, III.6).
    coordinator_unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan theo dõi, tổng hợp"),
        on_delete=models.PROTECT,
        related_name="coordinated_directives",
    )
    reporting_cycle = models.CharField(
        _("kỳ báo cáo"), max_length=16, choices=ReportingCycle.choices, default=ReportingCycle.QUARTERLY
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
    # Whoever signs approves (the chairman or a vice-chairman signing for him).
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    # The DOCX frozen when issued (a path in default storage).
    document_file = models.CharField(_("tệp văn bản đã ban hành"), max_length=500, blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("title",)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("văn bản chỉ đạo nhân rộng")
        verbose_name_plural = _("văn bản chỉ đạo nhân rộng")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["issuing_unit", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("replication:directive_detail", args=[self.pk])


class DirectiveSection(models.TextChoices):
    MODELS = "models", _("Các mô hình sáng kiến")
    SOLUTIONS = "solutions", _("Những giải pháp, cách làm hay")


class DirectivePractice(models.Model):
    """A practice as the directive lists it: its section, its group inside the section
    (seed 004 groups solutions by index: "1. Đối với chỉ số PAPI") and its printed number
    ("2", "1.3")."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="listed_practices")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="directive_listings")
    section = models.CharField(
        _("phần"), max_length=16, choices=DirectiveSection.choices, default=DirectiveSection.MODELS
    )
    group_title = models.CharField(_("nhóm"), max_length=255, blank=True)
    label = models.CharField(_("số thứ tự"), max_length=16)
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["directive", "section", "position", "id"]
        verbose_name = _("mô hình trong văn bản chỉ đạo")
        verbose_name_plural = _("mô hình trong văn bản chỉ đạo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["directive", "practice"], name="directive_practice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.practice}"


class TargetGroup(models.TextChoices):
    """Who an assignment names when it names a group, always within the directive's
    issuing committee's jurisdiction."""

    UNIT = "unit", _("Một đơn vị")
    DEPARTMENTS = "departments", _("Các sở, ban, ngành tỉnh")
    DISTRICT_COMMITTEES = "district_committees", _("UBND cấp huyện (cũ)")
    COMMUNE_COMMITTEES = "commune_committees", _("UBND cấp xã")
    # The communes of one legacy district (``target_unit`` is the district).
    COMMUNES_OF = "communes_of", _("UBND các xã thuộc một huyện")


# Unit kinds each group expands to.
TARGET_GROUP_KINDS: dict[str, tuple[str, ...]] = {
    TargetGroup.DEPARTMENTS: (UnitKind.DEPARTMENT, UnitKind.OFFICE),
    TargetGroup.DISTRICT_COMMITTEES: (UnitKind.DISTRICT_COMMITTEE,),
    TargetGroup.COMMUNE_COMMITTEES: (UnitKind.COMMUNE_COMMITTEE,),
    TargetGroup.COMMUNES_OF: (UnitKind.COMMUNE_COMMITTEE,),
}


class AssignmentRole(models.TextChoices):
    APPLY = "apply", _("Triển khai áp dụng")
    # "chủ trì nghiên cứu, tham mưu UBND tỉnh triển khai" (seed 004, III.4–5).
    STUDY = "study", _("Chủ trì nghiên cứu, tham mưu")


class Assignment(models.Model):
    """One line of the directive's responsibilities: practices × a target × a role."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="assignments")
    practices = models.ManyToManyField(
        Practice, verbose_name=_("mô hình, giải pháp"), related_name="assignments"
    )
    target_group = models.CharField(
        _("đối tượng"), max_length=32, choices=TargetGroup.choices, default=TargetGroup.UNIT
    )
    # The unit (target UNIT) or the legacy district (target COMMUNES_OF).
    target_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replication_assignments",
    )
    role = models.CharField(
        _("nhiệm vụ"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.APPLY
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="replication_coordinations"
    )
    # District committees apply at their level AND pass the practices to their communes
    # (seed 004, III.3): the communes then get obligations of their own.
    include_subordinate_communes = models.BooleanField(
        _("triển khai đến UBND cấp xã trực thuộc"), default=False
    )
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    # Blank: the directive's cycle.
    reporting_cycle = models.CharField(
        _("kỳ báo cáo"), max_length=16, choices=ReportingCycle.choices, blank=True
    )
    # The sentence as printed in section III when the generated one is not enough.
    text = models.TextField(_("nội dung giao"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["directive", "position", "id"]
        verbose_name = _("giao nhân rộng")
        verbose_name_plural = _("giao nhân rộng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(target_group__in=["departments", "district_committees", "commune_committees"])
                | Q(target_unit__isnull=False),
                name="assignment_unit_target_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.target_unit or self.get_target_group_display()}"

    @property
    def cycle(self) -> str:
        return self.reporting_cycle or self.directive.reporting_cycle


class Obligation(models.Model):
    """One unit's duty to apply (or study) one practice under one assignment: created when
    the directive is issued. A unit merged later hands its open obligations to its
    successor (``transferred_from`` keeps the chain; ``ended_on`` closes the old one)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="obligations")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="replication_obligations"
    )
    practice = models.ForeignKey(
        Practice, verbose_name=_("mô hình, giải pháp"), on_delete=models.PROTECT, related_name="obligations"
    )
    role = models.CharField(_("nhiệm vụ"), max_length=16, choices=AssignmentRole.choices)
    # Denormalised from the assignment: the matrix filters on them without joining three tables.
    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="obligations")
    starts_on = models.DateField(_("từ ngày"))
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    ended_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    # The latest submitted report and what it says, kept by the report services on every
    # sending and return: the monitoring pages read the whole country's obligations, and a
    # column per obligation costs nothing where a lookup per obligation cost half a second.
    # ``last_submitted_period`` and ``last_submitted_status`` copy the report's cycle start and
    # adoption status (a sent report is closed: they change only with the pointer).
    last_submitted = models.ForeignKey(
        "AdoptionReport", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    last_submitted_period = models.DateField(null=True, blank=True, editable=False)
    last_submitted_status = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["directive", "unit", "practice"]
        verbose_name = _("nghĩa vụ nhân rộng")
        verbose_name_plural = _("nghĩa vụ nhân rộng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["assignment", "unit", "practice"], name="obligation_once_per_assignment"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["unit", "directive"]),
            models.Index(fields=["practice", "unit"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.practice}"


class AdoptionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    STUDYING = "studying", _("Đang nghiên cứu")
    PILOTING = "piloting", _("Đang thí điểm")
    APPLIED = "applied", _("Đã áp dụng")
    APPLIED_WIDELY = "applied_widely", _("Đã áp dụng rộng rãi")
    STOPPED = "stopped", _("Đã dừng")
    NOT_APPLICABLE = "not_applicable", _("Không phù hợp để áp dụng")


# Statuses that need a written reason.
STATUSES_NEEDING_REASON = (AdoptionStatus.STOPPED, AdoptionStatus.NOT_APPLICABLE)
# Statuses counted as adopted in the adoption rate.
ADOPTED_STATUSES = (AdoptionStatus.APPLIED, AdoptionStatus.APPLIED_WIDELY)


class AdoptionReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để bổ sung")


class AdoptionReport(models.Model):
    """An obliged unit's report on one practice for one reporting cycle."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reports")
    # The cycle: its first and last day.
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("tình trạng báo cáo"),
        max_length=16,
        choices=AdoptionReportStatus.choices,
        default=AdoptionReportStatus.DRAFT,
        db_index=True,
    )
    adoption_status = models.CharField(
        _("mức độ triển khai"),
        max_length=16,
        choices=AdoptionStatus.choices,
        default=AdoptionStatus.NOT_STARTED,
    )
    reason = models.TextField(_("lý do"), blank=True)
    started_on = models.DateField(_("ngày bắt đầu triển khai"), null=True, blank=True)
    scope = models.TextField(_("phạm vi, đối tượng áp dụng"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    # On a sent report: the cycle start of the obligation's next sent report (None while
    # this one is the latest), kept with ``Obligation.last_submitted``. A report is the
    # latest word on day D when it began by D and the next one began after D: a quarter's
    # adoption rates count those in one pass, without a lookup per obligation.
    superseded_from = models.DateField(null=True, blank=True, editable=False)
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
    returned_at = models.DateTimeField(_("thời điểm trả lại"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_note = models.TextField(_("nội dung yêu cầu bổ sung"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-period_start", "obligation"]
        verbose_name = _("báo cáo kết quả nhân rộng")
        verbose_name_plural = _("báo cáo kết quả nhân rộng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["obligation", "period_start"], name="adoption_report_once_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="adoption_report_period_order"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["period_start", "status"]),
            models.Index(fields=["due_on", "status"]),
        ]

    def __str__(self) -> str:
        return str(
            _("Báo cáo nhân rộng %(practice)s của %(unit)s (%(start)s – %(end)s)")
            % {
                "practice": self.obligation.practice,
                "unit": self.obligation.unit,
                "start": self.period_start.strftime("%d/%m/%Y"),
                "end": self.period_end.strftime("%d/%m/%Y"),
            }
        )

    def get_absolute_url(self) -> str:
        return reverse("replication:report_detail", args=[self.pk])


class AdoptionResult(models.Model):
    """A measured result: an indicator with its baseline and current value (dialogues
    held, % of filings online, satisfaction…)."""

    report = models.ForeignKey(AdoptionReport, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(_("chỉ tiêu"), max_length=255)
    measure_unit = models.CharField(_("đơn vị tính"), max_length=64, blank=True)
    baseline = models.DecimalField(
        _("giá trị ban đầu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current = models.DecimalField(
        _("giá trị hiện tại"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(999)])

    class Meta:
        ordering: ClassVar[list[str]] = ["report", "position", "id"]
        verbose_name = _("kết quả đo lường")
        verbose_name_plural = _("kết quả đo lường")

    def __str__(self) -> str:
        return self.indicator


class AdoptionEvidence(models.Model):
    report = models.ForeignKey(AdoptionReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="replication/evidence/%Y/%m/", max_length=500)
    name = models.CharField(_("tên tệp"), max_length=255)
    # Only evidence marked public appears on the showcase.
    is_public = models.BooleanField(_("công khai"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["report", "uploaded_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.name


class ReplicationSummary(models.Model):
    """Home Affairs' periodic report to the committee (Báo cáo kết quả nhân rộng), with the
    units that do not implement (seed 004's last paragraph)."""

    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    directive = models.ForeignKey(
        Directive,
        verbose_name=_("văn bản chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="summaries",
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    assessment = models.TextField(_("đánh giá chung"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    registered_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    document_file = models.CharField(_("tệp báo cáo đã ban hành"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-period_end", "-id"]
        verbose_name = _("báo cáo kết quả nhân rộng")
        verbose_name_plural = _("báo cáo kết quả nhân rộng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="replication_summary_period_order"
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Báo cáo kết quả nhân rộng từ %(start)s đến %(end)s")
            % {"start": self.period_start.strftime("%d/%m/%Y"), "end": self.period_end.strftime("%d/%m/%Y")}
        )

    def get_absolute_url(self) -> str:
        return reverse("replication:summary_detail", args=[self.pk])
