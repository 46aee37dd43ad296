"""Forms of the monthly reports, the summary and the KPI pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.forms import INTEGER_MAX, BoundedIntegerField, Form, VietnameseDateField
from caicach.core.versioning import VersionField
from caicach.workprogram.models import LineStatus
from caicach.workprogram.reports.kpis import period_choices
from caicach.workprogram.reports.queries import LineInput, ReportContent

SAVE = "save"
SUBMIT = "submit"


class ReportLineForm(Form):
    """One item of the report. The cause, remedy and expected date are required for a
    delayed item when the report is sent (a draft may stay incomplete)."""

    item_id = BoundedIntegerField(widget=forms.HiddenInput, min_value=1, max_value=INTEGER_MAX)
    status = forms.ChoiceField(label=_("Tiến độ"), choices=LineStatus.choices)
    progress_note = forms.CharField(
        label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delay_cause = forms.CharField(
        label=_("Nguyên nhân chậm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedy = forms.CharField(
        label=_("Giải pháp khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_date = VietnameseDateField(
        label=_("Dự kiến hoàn thành"), required=False, span=chronology.PLANNED
    )

    def __init__(self, *args: Any, final: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.final = final

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.final and data.get("status") == LineStatus.DELAYED:
            for name, message in (
                ("delay_cause", _("Vui lòng nêu nguyên nhân chậm.")),
                ("remedy", _("Vui lòng nêu giải pháp khắc phục.")),
                ("expected_date", _("Vui lòng nhập thời gian dự kiến hoàn thành.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def line(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            item_id=data["item_id"],
            status=data["status"],
            progress_note=data.get("progress_note") or "",
            delay_cause=data.get("delay_cause") or "",
            remedy=data.get("remedy") or "",
            expected_date=data.get("expected_date"),
        )


ReportLineFormSet = forms.formset_factory(ReportLineForm, extra=0, max_num=1000, absolute_max=1000)


class MonthlyReportForm(Form):
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Khó khăn, vướng mắc phát sinh trong quá trình thực hiện (nếu có)."),
    )
    recommendations = forms.CharField(
        label=_("Kiến nghị, đề xuất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kiến nghị giải pháp với UBND tỉnh, Chủ tịch UBND tỉnh (nếu có)."),
    )
    version = VersionField()

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            once.creating(self)  # the month's first report: no copy to compare

    def content(self, lines: ReportLineFormSet) -> ReportContent:  # type: ignore[valid-type]
        return ReportContent(
            difficulties=self.cleaned_data.get("difficulties") or "",
            recommendations=self.cleaned_data.get("recommendations") or "",
            lines=tuple(form.line() for form in lines),  # type: ignore[attr-defined]
        )


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đơn vị nhận được thông báo kèm lý do này."),
    )
    version = VersionField()


class SummaryForm(Form):
    assessment = forms.CharField(
        label=_("Đánh giá chung của Văn phòng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi ý một dòng; in ở mục “Đánh giá chung”."),
    )
    signer_authority = forms.CharField(label=_("Thẩm quyền ký"), required=False, max_length=100)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=150)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi nơi nhận một dòng, dòng cuối “Lưu: VT, …”."),
    )
    version = VersionField()

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            once.creating(self)  # the month's summary not saved yet: no copy to compare

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("assessment", "signer_authority", "signer_title", "signer_name", "recipients")
        }


class SummaryIssueForm(Form):
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), span=chronology.ISSUED)
    version = VersionField()


class KpiFilterForm(Form):
    period = forms.ChoiceField(label=_("Kỳ"), choices=(), required=False)
    unit = forms.TypedChoiceField(
        label=_("Biểu đồ của đơn vị"), choices=(), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị")), *units]  # type: ignore[attr-defined]


class MonthChoiceForm(Form):
    month = forms.TypedChoiceField(label=_("Tháng"), choices=(), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, months: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, _("Tháng %(month)s") % {"month": m}) for m in months]  # type: ignore[attr-defined]

    def chosen_month(self, default: int) -> int:
        """The month asked for, else ``default``, which the picker then shows as chosen (it
        showed January above a page about December)."""
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        if chosen is None:
            self.initial["month"] = default
        return int(chosen or default)
