"""Initiatives: campaigns (đợt phát động sáng kiến) and, later, the initiatives they collect."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
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
    min_initiatives_per_unit = models.PositiveSmallIntegerField(
        _("số sáng kiến tối thiểu mỗi đơn vị"), default=1
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
