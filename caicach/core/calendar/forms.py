"""Forms of the working-day calendar: the deadline checker and the admin override form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import CalendarDayKind


class WorkdayCountForm(Form):
    """ "From this date, N working days later / the N-th working day before it"."""

    AFTER = "after"
    BEFORE = "before"

    start = VietnameseDateField(label=_("Ngày"), span=chronology.RECORDED)
    n = BoundedIntegerField(label=_("Số ngày làm việc"), min_value=0, max_value=1000)
    direction = forms.ChoiceField(
        label=_("Cách tính"),
        choices=[
            (AFTER, _("Cộng thêm N ngày làm việc (không tính ngày bắt đầu)")),
            (BEFORE, _("Ngày làm việc thứ N trước ngày này (không tính ngày này)")),
        ],
        initial=AFTER,
    )


class CalendarDayForm(Form):
    date = VietnameseDateField(label=_("Ngày"), span=chronology.RECORDED)
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarDayKind.choices)
    description = forms.CharField(
        label=_("Nội dung"),
        max_length=255,
        help_text=_("Ví dụ: Nghỉ hoán đổi dịp Tết Dương lịch; Làm bù cho thứ Sáu 02/01/2026."),
    )
    source = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        required=False,
        help_text=_("Số, ký hiệu văn bản, ví dụ: Công văn số 12729/VPCP-KGVX ngày 25/12/2025."),
    )
    # The row's last-change stamp the form was built from (stale-edit detection).
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_stamp(self) -> datetime.datetime | None:
        raw: str = self.cleaned_data.get("stamp") or ""
        if not raw:
            return None
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Dữ liệu biểu mẫu không hợp lệ; vui lòng tải lại trang.")) from exc

    @classmethod
    def initial_for(cls, day: Any) -> dict[str, Any]:
        return {
            "date": day.date,
            "kind": day.kind,
            "description": day.description,
            "source": day.source,
            "stamp": day.updated_at.isoformat(),
        }
