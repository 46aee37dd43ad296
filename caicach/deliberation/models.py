"""Deliberation (seed 001, the Working Regulations): the committee's members give their
opinions on drafts the Office sends them for a lead unit (lấy ý kiến thành viên UBND), and
the committee's meetings with their agendas, dossiers, attendance and documents.

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
from caicach.core.models import CommitteeSettings, FoldedSearchMixin, IssuedDocumentFields, Unit


class PassRule(models.TextChoices):
    # Default (seed 001 / Working Regulations): more than half of ALL the members consulted.
    MAJORITY_OF_ALL = "majority_of_all", _("Quá nửa tổng số thành viên được lấy ý kiến đồng ý")
    MAJORITY_OF_ANSWERS = "majority_of_answers", _("Quá nửa số thành viên đã cho ý kiến đồng ý")


class DeliberationSettings(CommitteeSettings):
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
    # Meetings (seed 001): the lead unit consults the Chairman / Vice-chairman by this day of
    # the meeting's month; the signed and stamped dossier reaches the Office N working days
    # before the meeting (3 for committee meetings and leaders' working sessions, 2 for the
    # Party committee's).
    consult_by_day = models.PositiveSmallIntegerField(
        _("xin ý kiến Chủ tịch, Phó Chủ tịch chậm nhất ngày (của tháng họp)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    committee_dossier_working_days = models.PositiveSmallIntegerField(
        _("hồ sơ phiên họp UBND, phiên làm việc của lãnh đạo: trước (ngày làm việc)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    party_dossier_working_days = models.PositiveSmallIntegerField(
        _("hồ sơ họp Ban cán sự đảng: trước (ngày làm việc)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
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


class Consultation(FoldedSearchMixin, models.Model):
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
    search_text = models.TextField(default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("title",)

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


# --- Meetings (seed 001: chuẩn bị tài liệu, hồ sơ trình phiên họp) ----------------------------------


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Phiên họp UBND thường kỳ")
    THEMATIC = "thematic", _("Phiên họp UBND chuyên đề")
    PARTY_COMMITTEE = "party_committee", _("Họp Ban cán sự đảng UBND")
    WORKING_SESSION = "working_session", _("Phiên làm việc của lãnh đạo UBND")


# The kinds whose dossiers are due ``party_dossier_working_days`` before; every other kind
# uses ``committee_dossier_working_days``.
PARTY_KINDS = (MeetingKind.PARTY_COMMITTEE,)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    INVITED = "invited", _("Đã gửi giấy mời")
    HELD = "held", _("Đã họp")
    CONCLUDED = "concluded", _("Đã thông báo kết luận")
    CANCELLED = "cancelled", _("Đã hủy")


class Meeting(models.Model):
    """One meeting of a committee (or of its Party committee, or its leaders' working
    session): a date, a chair, a kind; its agenda, dossiers, invitees and documents."""

    committee = models.ForeignKey(
        Unit, verbose_name=_("UBND"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại phiên họp"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("tên phiên họp"), max_length=300)
    date = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-date", "-id"]
        verbose_name = _("phiên họp")
        verbose_name_plural = _("phiên họp")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["committee", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:meeting_detail", args=[self.pk])


class AgendaStatus(models.TextChoices):
    PROPOSED = "proposed", _("Dự kiến")
    ON_AGENDA = "on_agenda", _("Đưa vào chương trình phiên họp")
    # Decided by the chair from the proposed withdrawal list: the item leaves this meeting
    # and its program item goes through the work program's adjustment path.
    WITHDRAWN = "withdrawn", _("Rút khỏi phiên họp")
    DISCUSSED = "discussed", _("Đã thảo luận")


class WithdrawalDecision(models.TextChoices):
    WITHDRAW = "withdraw", _("Rút khỏi phiên họp")
    KEEP = "keep", _("Giữ lại (có lý do chính đáng)")


class AgendaItem(models.Model):
    """One matter put to a meeting, usually a work-program item due that month."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.TextField(_("nội dung"))
    program_item = models.ForeignKey(
        "workprogram.ProgramItem",
        verbose_name=_("nội dung chương trình công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="agenda_items_led"
    )
    is_legal_document = models.BooleanField(_("văn bản quy phạm pháp luật"), default=False)
    presenter = models.CharField(_("người trình bày"), max_length=200, blank=True)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("lấy ý kiến thành viên UBND"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.ON_AGENDA
    )
    # Computed from the meeting's date and kind through the calendar when the item is added
    # and whenever the meeting moves (``meetings.services``); stored so the withdrawal list
    # is one indexed query.
    consult_by = models.DateField(_("hạn xin ý kiến Chủ tịch, Phó Chủ tịch"))
    dossier_due = models.DateField(_("hạn gửi hồ sơ đến Văn phòng"))
    dossier_working_days = models.PositiveSmallIntegerField(_("số ngày làm việc trước phiên họp"))
    withdrawal_decision = models.CharField(
        _("quyết định của chủ trì"), max_length=16, choices=WithdrawalDecision.choices, blank=True
    )
    withdrawal_note = models.TextField(_("ý kiến của chủ trì"), blank=True)
    withdrawal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_decided_at = models.DateTimeField(null=True, blank=True)
    adjustment_request = models.ForeignKey(
        "workprogram.AdjustmentRequest",
        verbose_name=_("đề nghị điều chỉnh chương trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["meeting_id", "position", "id"]
        verbose_name = _("nội dung phiên họp")
        verbose_name_plural = _("nội dung phiên họp")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "dossier_due"]),
            models.Index(fields=["lead_unit", "dossier_due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:agenda_item_detail", args=[self.pk])


class DossierPart(models.TextChoices):
    SUBMISSION = "submission", _("Tờ trình")
    DRAFT = "draft", _("Dự thảo văn bản")
    APPRAISAL = "appraisal", _("Báo cáo thẩm định (văn bản quy phạm pháp luật)")
    OPINIONS = "opinions", _("Bản tổng hợp, tiếp thu, giải trình ý kiến")
    OTHER = "other", _("Tài liệu khác kèm theo")


class DossierEntryStatus(models.TextChoices):
    PENDING = "pending", _("Chưa nhận")
    RECEIVED = "received", _("Đã nhận")
    MISSING = "missing", _("Thiếu")


class DossierEntry(models.Model):
    """One line of an agenda item's dossier checklist (hồ sơ trình): the Office marks it
    received (with the file, and the day it came) or missing."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="dossier_entries")
    part = models.CharField(_("thành phần hồ sơ"), max_length=16, choices=DossierPart.choices)
    label = models.CharField(_("tên tài liệu"), max_length=300)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=DossierEntryStatus.choices, default=DossierEntryStatus.PENDING
    )
    received_on = models.DateField(_("ngày nhận"), null=True, blank=True)
    file = models.FileField(upload_to="deliberation/dossiers/%Y/%m/", max_length=500, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["agenda_item_id", "id"]
        verbose_name = _("thành phần hồ sơ trình")
        verbose_name_plural = _("thành phần hồ sơ trình")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~Q(status="received") | Q(received_on__isnull=False),
                name="dossier_entry_received_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class AttendeeLevel(models.TextChoices):
    HEAD = "head", _("Thủ trưởng đơn vị")
    DEPUTY = "deputy", _("Cấp phó được ủy quyền")
    OTHER = "other", _("Công chức khác")


class Invitee(models.Model):
    """A unit invited to a meeting and whom it sent. Sending someone below the level asked
    (the seed's complaint: "cử không đúng thành phần") is recorded and counted per unit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị được mời"), on_delete=models.PROTECT, related_name="+"
    )
    expected_level = models.CharField(
        _("thành phần được mời"), max_length=16, choices=AttendeeLevel.choices, default=AttendeeLevel.HEAD
    )
    attended = models.BooleanField(_("có dự họp"), null=True, blank=True)
    attendee_name = models.CharField(_("người dự họp"), max_length=150, blank=True)
    attendee_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    attendee_level = models.CharField(
        _("cấp người dự họp"), max_length=16, choices=AttendeeLevel.choices, blank=True
    )
    is_wrong_level = models.BooleanField(_("cử không đúng thành phần"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["meeting_id", "unit__name", "id"]
        verbose_name = _("đơn vị được mời")
        verbose_name_plural = _("đơn vị được mời")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="invitee_one_per_unit"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["unit", "is_wrong_level"])]

    def __str__(self) -> str:
        return str(self.unit)


class MeetingDocumentKind(models.TextChoices):
    INVITATION = "invitation", _("Giấy mời")
    CONCLUSION = "conclusion", _("Thông báo kết luận")


class MeetingDocument(IssuedDocumentFields):
    """The invitation (GM) before the meeting and the conclusion notice (TB) after it: a
    draft the Office edits and previews, then numbered, signed and frozen when issued."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=MeetingDocumentKind.choices)
    summary = models.TextField(_("nội dung chính"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["meeting_id", "kind"]
        verbose_name = _("văn bản phiên họp")
        verbose_name_plural = _("văn bản phiên họp")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="meeting_document_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"


class ConclusionPoint(models.Model):
    """One point of a meeting's conclusion notice, structured so that the oversight app can
    turn it into an assigned task: what, which unit leads, by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusion_points")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("nội dung phiên họp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conclusion_points",
    )
    content = models.TextField(_("nội dung kết luận, giao nhiệm vụ"))
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan chủ trì thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conclusion_points_led",
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("thời hạn hoàn thành"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["meeting_id", "position", "id"]
        verbose_name = _("nội dung kết luận")
        verbose_name_plural = _("nội dung kết luận")

    def __str__(self) -> str:
        return self.content[:80]
