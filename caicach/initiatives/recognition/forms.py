"""Forms of recognition: the decision, a refusal letter's reasons, revoking a certificate,
the effectiveness report and the public verification box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, clock, once
from caicach.core.forms import Form, VietnameseDateField
from caicach.core.versioning import VersionField
from caicach.initiatives.models import Campaign, EffectivenessReport


class DecisionIssueForm(Form):
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), span=chronology.ISSUED)
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: KT. CHỦ TỊCH, TM. ỦY BAN NHÂN DÂN; để trống khi người đứng đầu ký."),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150, required=False)

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> DecisionIssueForm:
        """Prefilled with today and the signer of the campaign's plan."""
        return cls(
            initial={
                "issued_on": clock.today(),
                "signer_authority": campaign.signer_authority,
                "signer_title": campaign.signer_title,
                "signer_name": campaign.signer_name,
            }
        )


class RefusalLetterForm(Form):
    reasons = forms.CharField(
        label=_("Lý do không công nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi lý do một dòng; văn bản trả lời nêu đầy đủ các lý do này."),
    )


class CertificateRevokeForm(Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}))


class EffectivenessReportForm(Form):
    essence = forms.CharField(
        label=_("3. Nội dung, bản chất của sáng kiến"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    effectiveness = forms.CharField(
        label=_("II.1. Về hiệu quả áp dụng"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    replicability = forms.CharField(
        label=_("II.2. Về khả năng nhân rộng"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    confirmed_by_name = forms.CharField(
        label=_("Người ký xác nhận của cơ quan, đơn vị"), max_length=150, required=False
    )
    representative_name = forms.CharField(label=_("Đại diện nhóm tác giả"), max_length=150, required=False)
    version = VersionField()

    FIELDS = ("essence", "effectiveness", "replicability", "confirmed_by_name", "representative_name")

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            once.creating(self)  # a new report: no copy to compare, a one-time token

    @classmethod
    def for_report(cls, report: EffectivenessReport, data: Any = None) -> EffectivenessReportForm:
        initial: dict[str, Any] = {name: getattr(report, name) for name in cls.FIELDS}
        initial["version"] = report.version
        return cls(data, initial=initial)

    def report_data(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class VersionForm(Form):
    version = VersionField()


class VerificationForm(Form):
    code = forms.CharField(
        label=_("Mã xác minh"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
        help_text=_("Mã in trên giấy chứng nhận, dưới số giấy chứng nhận."),
    )
