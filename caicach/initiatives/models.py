"""Initiatives: campaigns, dossiers and their authors, the council's scoring, recognition and
certificates."""

from __future__ import annotations

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caicach.core.models import ReformField, ReformIndex, RegisteredDocument, Unit


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã ban hành")
    CLOSED = "closed", _("Đã kết thúc")


class Campaign(models.Model):
    """A campaign for reform initiatives, issued as a numbered plan (Kế hoạch, seed 002).

    The plan's text lives in these fields so the document is rendered from data: sections I
    (purpose, requirements), II (what initiatives must be, who takes part, how to present
    them, the submission window) and III (who does what)."""

    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="campaigns_issued"
    )
    registered_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    legal_basis = models.TextField(_("căn cứ ban hành"), help_text=_("Mỗi căn cứ một dòng."))
    introduction = models.TextField(
        _("câu dẫn"),
        blank=True,
        help_text=_("Để trống để dùng câu dẫn mặc định “… xây dựng Kế hoạch … như sau:”."),
    )
    purpose = models.TextField(_("mục đích"), help_text=_("Mỗi ý một dòng."))
    requirements = models.TextField(_("yêu cầu"), help_text=_("Mỗi ý một dòng."))
    initiative_requirements = models.TextField(_("yêu cầu đối với sáng kiến, giải pháp"))
    participants = models.TextField(_("đối tượng tham gia"))
    presentation_requirements = models.TextField(_("yêu cầu trình bày"), blank=True)
    solution_scope = models.TextField(_("nội dung sáng kiến, giải pháp"), blank=True)
    reform_fields = models.ManyToManyField(
        ReformField, verbose_name=_("lĩnh vực CCHC"), blank=True, related_name="campaigns"
    )
    target_indices = models.ManyToManyField(
        ReformIndex, verbose_name=_("chỉ số cần cải thiện"), blank=True, related_name="campaigns"
    )
    eligible_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị tham gia"), blank=True, related_name="campaigns_open"
    )
    # The ranges below are what a campaign plausibly asks; the forms offer exactly them.
    min_initiatives_per_unit = models.PositiveSmallIntegerField(
        _("số sáng kiến tối thiểu mỗi đơn vị"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("nhắc đơn vị chưa nộp trước hạn (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    rubric = models.ForeignKey(
        "Rubric",
        verbose_name=_("bộ tiêu chí chấm điểm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    window_start = models.DateField(_("nhận sáng kiến từ ngày"))
    window_end = models.DateField(_("đến hết ngày"))
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="campaigns_received"
    )
    contact = models.CharField(_("địa chỉ liên hệ (thư điện tử, điện thoại)"), max_length=255, blank=True)
    submission_form = models.CharField(_("hình thức gửi"), max_length=500, blank=True)
    # [{"heading": "1. Phòng Nội vụ huyện:", "duties": "Theo dõi ..."}, ...]
    implementation = models.JSONField(_("tổ chức thực hiện"), default=list, blank=True)
    closing = models.TextField(_("câu kết"), blank=True)
    recipients = models.TextField(
        _("nơi nhận"), help_text=_("Mỗi nơi nhận một dòng, dòng cuối “Lưu: VT, …”.")
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    place = models.CharField(_("địa danh"), max_length=64)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-window_start", "-id"]
        verbose_name = _("đợt phát động sáng kiến")
        verbose_name_plural = _("đợt phát động sáng kiến")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["issuing_unit", "status"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")), name="campaign_window_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:campaign_detail", args=[self.pk])

    @property
    def is_open_to_units(self) -> bool:
        """Eligible units see a campaign once it has been issued."""
        return self.status != CampaignStatus.DRAFT

    def accepts_submissions(self, day: datetime.date) -> bool:
        """Dossiers may be created and sent only while the plan is in force and ``day`` lies in
        the submission window ("đến hết ngày": the last day counts). A reform officer reopens
        or extends the window by moving ``window_end`` (audited)."""
        return self.status == CampaignStatus.PUBLISHED and self.window_start <= day <= self.window_end


# --- Initiatives (sáng kiến) ---------------------------------------------------------------------


class InitiativeKind(models.TextChoices):
    # Circular 18/2013 annex I application + the description of seed 001.
    SOLUTION = "solution", _("Sáng kiến, giải pháp")
    # The introduction / content / conclusion layout of seed 003.
    EXPERIENCE = "experience", _("Sáng kiến kinh nghiệm")


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Chờ thủ trưởng đơn vị xác nhận")
    SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_REVIEW = "in_review", _("Hội đồng đang chấm điểm")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")


class RecognitionLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Cấp cơ sở")
    PROVINCIAL = "provincial", _("Cấp tỉnh")
    NATIONAL = "national", _("Toàn quốc")


class Initiative(models.Model):
    """One initiative dossier: the application (Circular 18/2013, annex I), the description
    (thuyết minh, seed 001, sections 1–7.3) or, for an experience initiative, the sections of
    seed 003. The authors are ``Authorship`` rows; each submission keeps an
    ``InitiativeVersion`` snapshot."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("đợt phát động"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị đề xuất"), on_delete=models.PROTECT, related_name="initiatives"
    )
    kind = models.CharField(
        _("loại sáng kiến"), max_length=16, choices=InitiativeKind.choices, default=InitiativeKind.SOLUTION
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.DRAFT,
        db_index=True,
    )
    # Application form (đơn yêu cầu công nhận sáng kiến).
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    addressee = models.CharField(_("kính gửi"), max_length=255, blank=True)
    investor = models.CharField(
        _("chủ đầu tư tạo ra sáng kiến"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ ghi nếu không phải là tác giả."),
    )
    application_field = models.CharField(_("lĩnh vực áp dụng sáng kiến"), max_length=500, blank=True)
    reform_fields = models.ManyToManyField(
        ReformField, verbose_name=_("lĩnh vực CCHC"), blank=True, related_name="initiatives"
    )
    target_indices = models.ManyToManyField(
        ReformIndex, verbose_name=_("chỉ số cải thiện"), blank=True, related_name="initiatives"
    )
    first_applied_on = models.DateField(
        _("ngày áp dụng lần đầu hoặc áp dụng thử"),
        null=True,
        blank=True,
        help_text=_("Ghi ngày nào sớm hơn."),
    )
    confidential_info = models.TextField(_("các thông tin cần bảo mật"), blank=True)
    essence = models.TextField(_("mô tả bản chất của sáng kiến"), blank=True)
    application_conditions = models.TextField(_("những điều kiện cần thiết để áp dụng sáng kiến"), blank=True)
    author_assessed_benefits = models.TextField(_("lợi ích thu được theo ý kiến của tác giả"), blank=True)
    trial_assessed_benefits = models.TextField(
        _("lợi ích thu được theo ý kiến của tổ chức, cá nhân đã áp dụng thử"), blank=True
    )
    first_application_participants = models.TextField(
        _("những người tham gia áp dụng sáng kiến lần đầu"), blank=True
    )
    # Description (thuyết minh), seed 001 sections 4–7.3.
    previous_solution = models.TextField(_("4. Giải pháp cũ thường làm và nhược điểm"), blank=True)
    necessity = models.TextField(_("5. Sự cần thiết phải áp dụng giải pháp sáng kiến"), blank=True)
    purpose = models.TextField(_("6. Mục đích của giải pháp sáng kiến"), blank=True)
    solution_steps = models.TextField(_("7.1. Thuyết minh giải pháp mới hoặc cải tiến"), blank=True)
    results = models.TextField(_("Kết quả của sáng kiến"), blank=True)
    application_scope = models.TextField(_("7.2. Phạm vi áp dụng sáng kiến"), blank=True)
    benefits = models.TextField(_("7.3. Lợi ích kinh tế, xã hội của sáng kiến"), blank=True)
    # Experience initiative (seed 003): introduction, content, conclusion.
    context = models.TextField(_("Bối cảnh của vấn đề"), blank=True)
    reasons = models.TextField(_("Lý do chọn đề tài"), blank=True)
    study_scope = models.TextField(_("Phạm vi và đối tượng nghiên cứu"), blank=True)
    study_purpose = models.TextField(_("Mục đích nghiên cứu"), blank=True)
    novelty = models.TextField(_("Điểm mới trong kết quả nghiên cứu"), blank=True)
    current_situation = models.TextField(_("Thực trạng của vấn đề"), blank=True)
    measures = models.TextField(_("Các biện pháp đã tiến hành để giải quyết vấn đề"), blank=True)
    effectiveness = models.TextField(_("Hiệu quả của sáng kiến kinh nghiệm"), blank=True)
    lessons = models.TextField(_("Những bài học kinh nghiệm"), blank=True)
    significance = models.TextField(_("Ý nghĩa của sáng kiến kinh nghiệm"), blank=True)
    applicability = models.TextField(_("Khả năng ứng dụng, triển khai"), blank=True)
    recommendations = models.TextField(_("Những kiến nghị, đề xuất"), blank=True)
    # Workflow.
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("ngày gửi lần đầu"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thủ trưởng xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("ngày xác nhận"), null=True, blank=True)
    confirmation_note = models.TextField(_("ý kiến xác nhận của cơ quan, đơn vị"), blank=True)
    receipt = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("giấy biên nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    result_due_on = models.DateField(_("hạn trả kết quả"), null=True, blank=True)
    return_comment = models.TextField(_("nội dung yêu cầu bổ sung"), blank=True)
    returned_at = models.DateTimeField(_("ngày trả lại"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("lần nộp"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Title, authors' names and every text section, folded (caicach.core.text.fold); kept by
    # the services (it spans the authors, so the row alone cannot rebuild it).
    search_text = models.TextField(default="", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SOLUTION_SECTIONS: ClassVar[tuple[str, ...]] = (
        "previous_solution",
        "necessity",
        "purpose",
        "solution_steps",
        "results",
        "application_scope",
        "benefits",
    )
    EXPERIENCE_SECTIONS: ClassVar[tuple[str, ...]] = (
        "context",
        "reasons",
        "study_scope",
        "study_purpose",
        "novelty",
        "current_situation",
        "measures",
        "effectiveness",
        "lessons",
        "significance",
        "applicability",
        "recommendations",
    )
    APPLICATION_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "addressee",
        "investor",
        "application_field",
        "first_applied_on",
        "confidential_info",
        "essence",
        "application_conditions",
        "author_assessed_benefits",
        "trial_assessed_benefits",
        "first_application_participants",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        indexes: ClassVar[list[models.Index]] = [
            # A campaign's table counts each eligible unit's dossiers by status: one probe
            # of this index per unit, read from the index alone.
            models.Index(fields=["campaign", "unit", "status"], name="initiative_campaign_unit_idx"),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "created_at"]),
            # The list's order (newest first): page 1 reads the index's first rows.
            models.Index(fields=["-created_at", "-id"], name="initiative_newest_idx"),
            # The year filter ("sent in 2024") is a range on this column.
            models.Index(fields=["first_submitted_at"], name="initiative_first_sent_idx"),
            # A reform officer's scope: the managed campaigns' dossiers in the statuses an
            # office sees, one index scan (rules.initiatives_visible_to).
            models.Index(fields=["campaign", "status"], name="initiative_campaign_status_idx"),
            # The to-dos "to receive" and "to confirm": the oldest sent first, and their
            # count read from the index alone (the scope's columns are in it): 24,000 dossiers
            # waiting for a national office were 19,000 pages of the table to count.
            # (Key columns rather than INCLUDE, which SQLite lacks.)
            models.Index(
                fields=["status", "submitted_at", "id", "campaign", "unit"], name="initiative_waiting_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative_detail", args=[self.pk])

    @property
    def sections(self) -> tuple[str, ...]:
        return self.EXPERIENCE_SECTIONS if self.kind == InitiativeKind.EXPERIENCE else self.SOLUTION_SECTIONS


class Authorship(models.Model):
    """One row of the authors table. Authors need not have an account (``user`` is optional).
    Shares total exactly 100 and rows are distinct: checked by the service that saves the
    table as a whole; one lead author per initiative is also a database constraint."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField(
        _("số TT"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày tháng năm sinh"), null=True, blank=True)
    workplace = models.CharField(_("nơi công tác (hoặc nơi thường trú)"), max_length=255, blank=True)
    job_title = models.CharField(_("chức danh"), max_length=150, blank=True)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=150, blank=True)
    share = models.DecimalField(
        _("tỷ lệ đóng góp (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    contribution = models.TextField(_("nội dung đóng góp"), blank=True)
    is_lead = models.BooleanField(_("tác giả chính"), default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["initiative_id", "position"]
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["initiative", "position"], name="authorship_unique_position"),
            models.UniqueConstraint(
                fields=["initiative"], condition=Q(is_lead=True), name="authorship_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="authorship_share_range"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.share}%)"


class InitiativeAttachment(models.Model):
    """A file attached to a dossier. Stored under MEDIA_ROOT, which no URL serves: downloads
    go through a permission-checked view. Removing one hides it; the row and file stay."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="initiatives/%Y/%m/", max_length=500)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["initiative_id", "uploaded_at", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class InitiativeVersion(models.Model):
    """A frozen copy of the dossier (fields and authors) taken at each submission, so any two
    can be compared side by side."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần"))
    data = models.JSONField(default=dict)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["initiative_id", "number"]
        verbose_name = _("phiên bản hồ sơ")
        verbose_name_plural = _("phiên bản hồ sơ")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["initiative", "number"], name="initiative_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.number}"


# --- Council and scoring ----------------------------------------------------------------------


class Rubric(models.Model):
    """Scoring rules as data (rubrics differ by province): criteria with caps and optional
    bands, the pass mark and the vote rule (Decree 13/2012: at least 2/3 in favour)."""

    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    pass_mark = models.DecimalField(
        _("điểm đạt"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    vote_numerator = models.PositiveSmallIntegerField(
        _("tỷ lệ biểu quyết tán thành (tử số)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    vote_denominator = models.PositiveSmallIntegerField(
        _("tỷ lệ biểu quyết tán thành (mẫu số)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # A member whose total differs from the mean by more than this is flagged for discussion.
    disagreement_threshold = models.DecimalField(
        _("ngưỡng chênh lệch điểm cần thảo luận"),
        max_digits=6,
        decimal_places=2,
        default=15,
        validators=[MinValueValidator(0)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]
        verbose_name = _("bộ tiêu chí chấm điểm")
        verbose_name_plural = _("bộ tiêu chí chấm điểm")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(vote_denominator__gt=0) & Q(vote_numerator__lte=models.F("vote_denominator")),
                name="rubric_vote_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tiêu chí"), max_length=255)
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)

    class Meta:
        ordering: ClassVar[list[str]] = ["rubric_id", "position", "id"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class CriterionBand(models.Model):
    """A band of points within a criterion with what earns it ("Có tính mới trong phạm vi
    tỉnh: 21–30 điểm")."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(default=0)
    min_points = models.DecimalField(_("từ điểm"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(_("đến điểm"), max_digits=6, decimal_places=2)
    description = models.CharField(_("mô tả mức"), max_length=500)

    class Meta:
        ordering: ClassVar[list[str]] = ["criterion_id", "position", "id"]
        verbose_name = _("mức điểm")
        verbose_name_plural = _("mức điểm")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(max_points__gte=models.F("min_points")), name="criterion_band_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_points}–{self.max_points}: {self.description}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang chấm")
    CLOSED = "closed", _("Đã khóa vòng chấm")


class Council(models.Model):
    """The initiative council (Hội đồng sáng kiến) of one campaign."""

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("tên hội đồng"), max_length=255)
    established_by = models.CharField(_("quyết định thành lập"), max_length=255, blank=True)
    scoring_deadline = models.DateField(_("hạn chấm điểm"), null=True, blank=True)
    reminder_working_days = models.PositiveSmallIntegerField(
        _("nhắc thành viên trước hạn chấm (ngày làm việc)"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    round_status = models.CharField(
        _("vòng chấm"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    round_closed_at = models.DateTimeField(null=True, blank=True)
    round_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_on = models.DateField(_("ngày họp hội đồng"), null=True, blank=True)
    meeting_place = models.CharField(_("địa điểm họp"), max_length=255, blank=True)
    minutes = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("biên bản họp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("hội đồng sáng kiến")
        verbose_name_plural = _("hội đồng sáng kiến")

    def __str__(self) -> str:
        return self.name


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
    SECRETARY = "secretary", _("Thư ký Hội đồng")
    MEMBER = "member", _("Thành viên")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(
        _("vai trò"), max_length=16, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["council_id", "position", "id"]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ReviewAssignment(models.Model):
    """A dossier given to one council member to score. A member with a conflict of interest
    (an author, a colleague of the author's unit, or one who declared it) is kept on record
    but excluded: they neither score nor count in the aggregates."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="review_assignments")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="assignments")
    excluded = models.BooleanField(_("không tham gia chấm (xung đột lợi ích)"), default=False)
    exclusion_reason = models.CharField(_("lý do"), max_length=255, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày nộp phiếu chấm"), null=True, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    total = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["initiative_id", "member_id"]
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["initiative", "member"], name="review_assignment_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["member", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.initiative_id} / {self.member_id}"


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["assignment_id", "criterion_id"]
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="review_score_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


# --- Recognition -------------------------------------------------------------------------------


class RecognitionDecision(models.Model):
    """The committee's decision (Quyết định công nhận sáng kiến) for a campaign: one numbered
    document listing every recognised initiative."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="recognition_decisions")
    registered_document = models.OneToOneField(
        RegisteredDocument, verbose_name=_("số quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("ngày ban hành"))
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-issued_on", "-id"]
        verbose_name = _("quyết định công nhận sáng kiến")
        verbose_name_plural = _("quyết định công nhận sáng kiến")

    def __str__(self) -> str:
        return str(self.registered_document)


class Recognition(models.Model):
    """The council's vote and the outcome for one dossier; recognised ones are listed in a
    ``RecognitionDecision``, the others get a refusal letter with the reasons."""

    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="recognition")
    # A council has a handful of members; the bound keeps a slip out of the minutes.
    members_present = models.PositiveSmallIntegerField(
        _("số thành viên dự họp"), validators=[MinValueValidator(0), MaxValueValidator(999)]
    )
    votes_for = models.PositiveSmallIntegerField(
        _("số phiếu tán thành"), validators=[MinValueValidator(0), MaxValueValidator(999)]
    )
    votes_against = models.PositiveSmallIntegerField(
        _("số phiếu không tán thành"), default=0, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )
    mean_score = models.DecimalField(
        _("điểm trung bình"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    recognised = models.BooleanField(_("được công nhận"))
    level = models.CharField(_("cấp công nhận"), max_length=16, choices=RecognitionLevel.choices, blank=True)
    reasons = models.TextField(_("lý do (khi không công nhận)"), blank=True)
    decision = models.ForeignKey(
        RecognitionDecision,
        verbose_name=_("quyết định công nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    refusal_letter = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("văn bản trả lời không công nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-decided_at", "-id"]
        verbose_name = _("kết quả xét công nhận")
        verbose_name_plural = _("kết quả xét công nhận")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["recognised", "level"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(recognised=False) | ~Q(level=""), name="recognition_level_when_recognised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {'+' if self.recognised else '-'}"


class Certificate(models.Model):
    """The certificate (Giấy chứng nhận sáng kiến) of a recognised initiative, with a code
    that opens the public verification page."""

    recognition = models.OneToOneField(Recognition, on_delete=models.PROTECT, related_name="certificate")
    registered_document = models.OneToOneField(
        RegisteredDocument, verbose_name=_("số giấy chứng nhận"), on_delete=models.PROTECT, related_name="+"
    )
    verification_code = models.CharField(_("mã xác minh"), max_length=32, unique=True)
    issued_on = models.DateField(_("ngày cấp"))
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-issued_on", "-id"]
        verbose_name = _("giấy chứng nhận sáng kiến")
        verbose_name_plural = _("giấy chứng nhận sáng kiến")

    def __str__(self) -> str:
        return str(self.registered_document)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class EffectivenessReport(models.Model):
    """Báo cáo hiệu quả áp dụng, khả năng nhân rộng (seed 000), filed after recognition."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="effectiveness_reports")
    essence = models.TextField(_("nội dung, bản chất của sáng kiến"), blank=True)
    effectiveness = models.TextField(_("về hiệu quả áp dụng"))
    replicability = models.TextField(_("về khả năng nhân rộng"))
    confirmed_by_name = models.CharField(_("người xác nhận của cơ quan, đơn vị"), max_length=150, blank=True)
    representative_name = models.CharField(_("đại diện nhóm tác giả"), max_length=150, blank=True)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["initiative_id", "-created_at"]
        verbose_name = _("báo cáo hiệu quả áp dụng")
        verbose_name_plural = _("báo cáo hiệu quả áp dụng")

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.created_at:%d/%m/%Y}"


CENT = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    """Points and means are shown and compared with two decimals, rounded half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Certificate verification codes (the public page at /xac-minh/ looks them up).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31^12 ≈ 8·10^17: guessing a valid code is hopeless
CODE_GROUP = 4


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """What a person typed ("abcd-efgh jkmn") as stored ("ABCDEFGHJKMN")."""
    return "".join(ch for ch in value.upper() if ch.isascii() and ch.isalnum())


def is_well_formed_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def display_code(code: str) -> str:
    """ "ABCD-EFGH-JKMN": groups of four are easier to read out and type."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))
