"""Deliberation (seed 001, the Working Regulations): the committee's members give their
opinions on drafts the Office sends them for a lead unit (lấy ý kiến thành viên UBND).

One ``Opinion`` row per member consulted, created when the draft is sent: a blank answer is
"no answer yet", so the tally and the punctuality counts are plain aggregates and a missing
answer is never silently dropped. Every answer given is also kept in ``OpinionRevision``
(append-only), so a changed answer leaves its history."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.models import Unit


class PassRule(models.TextChoices):
    # Default (seed 001 / Working Regulations): more than half of ALL the members consulted.
    MAJORITY_OF_ALL = "majority_of_all", _("Quá nửa tổng số thành viên được lấy ý kiến đồng ý")
    MAJORITY_OF_ANSWERS = "majority_of_answers", _("Quá nửa số thành viên đã cho ý kiến đồng ý")


class DeliberationSettings(models.Model):
    """What a province sets differently for members' opinions; one row per committee, a
    committee without a row uses the defaults (``queries.settings_for``)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("UBND"), on_delete=models.CASCADE, related_name="deliberation_settings"
    )
    # The Working Regulations give members a few working days to answer; 3 is our default.
    reply_working_days = models.PositiveSmallIntegerField(
        _("thời hạn cho ý kiến (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày làm việc)"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    pass_rule = models.CharField(
        _("nguyên tắc biểu quyết"), max_length=32, choices=PassRule.choices, default=PassRule.MAJORITY_OF_ALL
    )
    comments_count_in_favour = models.BooleanField(_("“Đồng ý có ý kiến” được tính là đồng ý"), default=True)
    tie_follows_chairman = models.BooleanField(
        _("khi số phiếu ngang nhau, theo ý kiến của Chủ tịch"), default=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["unit"]
        verbose_name = _("thiết lập lấy ý kiến thành viên UBND")
        verbose_name_plural = _("thiết lập lấy ý kiến thành viên UBND")

    def __str__(self) -> str:
        return str(_("Thiết lập lấy ý kiến thành viên của %(unit)s") % {"unit": self.unit})


class DraftKind(models.TextChoices):
    DECISION = "decision", _("Dự thảo quyết định")
    PLAN = "plan", _("Dự thảo kế hoạch")
    REPORT = "report", _("Dự thảo báo cáo")
    OTHER = "other", _("Dự thảo khác")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã tổng hợp")


class Result(models.TextChoices):
    PASSED = "passed", _("Được thông qua")
    NOT_PASSED = "not_passed", _("Không được thông qua")


class Consultation(models.Model):
    """A draft sent by the committee's Office, for a lead unit, to the committee's members."""

    committee = models.ForeignKey(
        Unit, verbose_name=_("UBND"), on_delete=models.PROTECT, related_name="consultations"
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="consultations_led"
    )
    kind = models.CharField(
        _("loại dự thảo"), max_length=16, choices=DraftKind.choices, default=DraftKind.DECISION
    )
    title = models.CharField(_("tên dự thảo"), max_length=500)
    is_secret = models.BooleanField(
        _("nội dung mật"),
        default=False,
        help_text=_(
            "Thành viên cho ý kiến bằng phiếu giấy; Văn phòng nhập ý kiến; không đưa tệp lên hệ thống."
        ),
    )
    program_item = models.ForeignKey(
        "workprogram.ProgramItem",
        verbose_name=_("nội dung chương trình công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    # Chosen members (empty: every member of the committee when sent).
    chosen_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên được chọn"), blank=True, related_name="+"
    )
    reply_working_days = models.PositiveSmallIntegerField(
        _("thời hạn cho ý kiến (ngày làm việc)"), null=True, blank=True
    )
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    deadline = models.DateField(_("hạn cho ý kiến"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("ngày tổng hợp"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("lấy ý kiến thành viên UBND")
        verbose_name_plural = _("lấy ý kiến thành viên UBND")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["committee", "status", "deadline"]),
            models.Index(fields=["lead_unit"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:consultation_detail", args=[self.pk])


class FileRole(models.TextChoices):
    SUBMISSION = "submission", _("Tờ trình")
    DOSSIER = "dossier", _("Dự thảo, hồ sơ kèm theo")


class ConsultationFile(models.Model):
    """A file of the draft's dossier. Stored under MEDIA_ROOT, which no URL serves: downloads
    go through a permission-checked view. A secret consultation holds none."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("loại tệp"), max_length=16, choices=FileRole.choices, default=FileRole.DOSSIER)
    file = models.FileField(upload_to="deliberation/%Y/%m/", max_length=500)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["consultation_id", "role", "id"]
        verbose_name = _("tệp dự thảo")
        verbose_name_plural = _("tệp dự thảo")

    def __str__(self) -> str:
        return self.original_name


class Answer(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    AGREE_WITH_COMMENTS = "agree_with_comments", _("Đồng ý có ý kiến")
    DISAGREE = "disagree", _("Không đồng ý")


# The answers that must carry a written comment (seed 001).
ANSWERS_WITH_COMMENT = (Answer.AGREE_WITH_COMMENTS, Answer.DISAGREE)


class Opinion(models.Model):
    """A member's current answer to one consultation; blank until they answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    # Whether the member was the committee's Chairman when the draft was sent (the tie rule).
    is_chairman = models.BooleanField(default=False)
    answer = models.CharField(_("ý kiến"), max_length=32, choices=Answer.choices, blank=True)
    comment = models.TextField(_("nội dung ý kiến"), blank=True)
    first_answered_on = models.DateField(_("ngày cho ý kiến lần đầu"), null=True, blank=True)
    answered_at = models.DateTimeField(_("thời điểm cho ý kiến"), null=True, blank=True)
    is_late = models.BooleanField(_("cho ý kiến sau hạn"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["consultation_id", "-is_chairman", "member__full_name", "id"]
        verbose_name = _("ý kiến thành viên")
        verbose_name_plural = _("ý kiến thành viên")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["consultation", "member"], name="opinion_one_per_member"),
            models.CheckConstraint(
                condition=Q(answer="") | ~Q(answer__in=["agree_with_comments", "disagree"]) | ~Q(comment=""),
                name="opinion_comment_required",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["member", "answer"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_answer_display() or _('Chưa cho ý kiến')}"

    def get_absolute_url(self) -> str:
        return reverse("deliberation:consultation_detail", args=[self.consultation_id])


class OpinionRevision(models.Model):
    """Every answer given, in order (append-only): the change history of an opinion."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("lần"))
    answer = models.CharField(_("ý kiến"), max_length=32, choices=Answer.choices)
    comment = models.TextField(_("nội dung ý kiến"), blank=True)
    is_late = models.BooleanField(_("sau hạn"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["opinion_id", "number"]
        verbose_name = _("lần cho ý kiến")
        verbose_name_plural = _("lần cho ý kiến")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["opinion", "number"], name="opinion_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} #{self.number}"


class ResponseKind(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")


class OpinionResponse(models.Model):
    """How the lead unit took a member's comment in (tiếp thu) or why not (giải trình)."""

    opinion = models.OneToOneField(Opinion, on_delete=models.CASCADE, related_name="response")
    kind = models.CharField(_("hình thức"), max_length=16, choices=ResponseKind.choices)
    text = models.TextField(_("nội dung tiếp thu, giải trình"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["opinion_id"]
        verbose_name = _("tiếp thu, giải trình")
        verbose_name_plural = _("tiếp thu, giải trình")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
