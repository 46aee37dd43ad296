"""Forms of the adoption reports: the report, its measured results (a formset a user
extends with "Thêm dòng", no JS needed), evidence, Home Affairs' return and review filters."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import Form, VietnameseDateField, VietnameseDecimalField
from caicach.core.models import User
from caicach.core.permissions import scope_key
from caicach.core.versioning import VersionField
from caicach.replication.adoption.queries import MAX_RESULTS, ReportContent, ResultInput, review_directives
from caicach.replication.adoption.services import NOTE_MAX, TEXT_MAX
from caicach.replication.models import AdoptionReportStatus, AdoptionStatus, Directive

_VALUE_MESSAGES = {
    "max_digits": _("Vui lòng nhập số có tối đa %(max)s chữ số."),
    "max_decimal_places": _("Vui lòng nhập tối đa %(max)s chữ số thập phân."),
    "max_whole_digits": _("Phần nguyên có tối đa %(max)s chữ số."),
    "min_value": _("Giá trị không được âm."),
    "max_value": _("Giá trị phải nhỏ hơn 1.000.000.000."),
}
# Counts, per cents and scores (see services.value_problem).
_VALUE_MAX = Decimal("999999999.99")


def _text(label: str, *, rows: int = 3, max_length: int = TEXT_MAX, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ReportForm(Form):
    version = VersionField()
    adoption_status = forms.ChoiceField(label=_("Mức độ triển khai"), choices=AdoptionStatus.choices)
    reason = _text(
        str(_("Lý do")), rows=2, help_text=str(_("Bắt buộc khi đã dừng hoặc không phù hợp để áp dụng."))
    )
    started_on = VietnameseDateField(label=_("Ngày bắt đầu triển khai"), span=chronology.PAST, required=False)
    scope = _text(str(_("Phạm vi, đối tượng áp dụng")), help_text=str(_("Áp dụng ở đâu, cho ai.")))
    difficulties = _text(str(_("Khó khăn, vướng mắc")))
    proposals = _text(str(_("Đề xuất, kiến nghị")))


class ResultForm(Form):
    indicator = forms.CharField(label=_("Chỉ tiêu"), required=False, max_length=255)
    measure_unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=64)
    baseline = VietnameseDecimalField(
        label=_("Giá trị ban đầu"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=_VALUE_MAX,
        error_messages=_VALUE_MESSAGES,
    )
    current = VietnameseDecimalField(
        label=_("Giá trị hiện tại"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=_VALUE_MAX,
        error_messages=_VALUE_MESSAGES,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = any(
            cleaned.get(name) not in (None, "") for name in ("measure_unit", "baseline", "current", "note")
        )
        if filled and not cleaned.get("indicator") and not cleaned.get("DELETE"):
            self.add_error("indicator", _("Vui lòng nhập tên chỉ tiêu."))
        return cleaned


ResultFormSet = formset_factory(
    ResultForm, extra=0, max_num=MAX_RESULTS, validate_max=True, absolute_max=MAX_RESULTS + 5, can_delete=True
)


def content_from(form: ReportForm, results: Any) -> ReportContent:
    """The service's input from two valid forms (rows ticked "Xóa" left out)."""
    data = form.cleaned_data
    rows = tuple(
        ResultInput(
            indicator=row.get("indicator", ""),
            measure_unit=row.get("measure_unit", ""),
            baseline=row.get("baseline"),
            current=row.get("current"),
            note=row.get("note", ""),
        )
        for row in results.cleaned_data
        if row and not row.get("DELETE")
    )
    return ReportContent(
        adoption_status=data["adoption_status"],
        reason=data["reason"],
        started_on=data["started_on"],
        scope=data["scope"],
        difficulties=data["difficulties"],
        proposals=data["proposals"],
        results=rows,
    )


def initial_of(content: ReportContent, version: int) -> dict[str, Any]:
    return {
        "version": version,
        "adoption_status": content.adoption_status,
        "reason": content.reason,
        "started_on": content.started_on,
        "scope": content.scope,
        "difficulties": content.difficulties,
        "proposals": content.proposals,
    }


def results_initial(content: ReportContent) -> list[dict[str, Any]]:
    return [
        {
            "indicator": row.indicator,
            "measure_unit": row.measure_unit,
            "baseline": row.baseline,
            "current": row.current,
            "note": row.note,
        }
        for row in content.results
    ]


class EvidenceForm(Form):
    file = forms.FileField(label=_("Tệp minh chứng"), help_text=_("PDF, Word, Excel, PNG hoặc JPEG."))
    is_public = forms.BooleanField(
        label=_("Cho phép công khai trên trang giới thiệu mô hình"), required=False
    )


class ReturnForm(Form):
    version = VersionField()
    note = forms.CharField(
        label=_("Nội dung cần bổ sung"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu nội dung cần bổ sung.")},
    )


class ReviewFilterForm(Form):
    """The review list's filters; the choices come from the reports the user reviews."""

    van_ban = CachedModelChoiceField(
        label=_("Văn bản chỉ đạo"), queryset=Directive.objects.none(), required=False
    )
    ky = forms.TypedChoiceField(
        label=_("Kỳ báo cáo"),
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
    )
    tinh_trang = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả")), *AdoptionReportStatus.choices],
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        periods: list[tuple[datetime.date, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        van_ban = self.fields["van_ban"]
        assert isinstance(van_ban, forms.ModelChoiceField)
        van_ban.queryset = review_directives(user)
        van_ban.empty_label = str(_("Tất cả"))
        ky = self.fields["ky"]
        assert isinstance(ky, forms.TypedChoiceField)
        ky.choices = [("", _("Tất cả")), *[(start.isoformat(), label) for start, label in periods]]
        keep_options(self, scope_key(user))
