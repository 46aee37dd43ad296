"""The statistics page's filter: the committee (for those who see more than one) and the
period — a year, a quarter or a month of it, or any run of days."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.versioning import VersionField
from caicach.oversight.statistics import queries
from caicach.workprogram.reports.kpis import ROMAN_QUARTERS

MAX_SPAN_DAYS = 3 * 366  # the trend draws a bar group per month: three years at most


class StatisticsFilterForm(forms.Form):
    committee = forms.TypedChoiceField(label=_("UBND"), coerce=int, required=False)
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("Cả năm")),
            *((n, _("Quý %(q)s") % {"q": ROMAN_QUARTERS[n - 1]}) for n in range(1, 5)),
        ],
    )
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *((n, _("Tháng %(m)s") % {"m": n}) for n in range(1, 13))],
    )

    def __init__(self, *args: Any, committees: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # ``from``/``to``: the names the drill-down links share with the task list.
        self.fields["from"] = VietnameseDateField(
            label=_("Từ ngày"), span=chronology.RECORDED, required=False
        )
        self.fields["to"] = VietnameseDateField(label=_("Đến ngày"), span=chronology.RECORDED, required=False)
        if len(committees) > 1:
            self.fields["committee"].choices = list(committees)  # type: ignore[attr-defined]
        else:
            del self.fields["committee"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Vui lòng nhập cả từ ngày và đến ngày, hoặc bỏ trống cả hai."))
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Từ ngày phải trước hoặc bằng đến ngày."))
            if (end - start).days > MAX_SPAN_DAYS:
                raise forms.ValidationError(_("Vui lòng chọn khoảng thời gian không quá 3 năm."))
        return data

    def period(self, today: datetime.date) -> queries.StatPeriod:
        """The chosen period; this year when nothing (or nothing valid) was chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("from") and data.get("to"):
            return queries.span_period(data["from"], data["to"])
        year = data.get("year") or today.year
        if data.get("month"):
            return queries.month_period(year, data["month"])
        if data.get("quarter"):
            return queries.quarter_period(year, data["quarter"])
        return queries.year_period(year)


class TaskReportForm(Form):
    """The Office's own parts of the periodic report (the figures are read when printed)."""

    assessment = forms.CharField(
        label=_("Đánh giá chung, kiến nghị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi ý một dòng; in ở mục “Đánh giá chung và kiến nghị”."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi nơi nhận một dòng, dòng cuối “Lưu: VT, …”."),
    )
    version = VersionField()

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            once.creating(self)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in ("assessment", "recipients")}


class TaskReportIssueForm(Form):
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), span=chronology.ISSUED)
    version = VersionField()
