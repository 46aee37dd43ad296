"""Forms of the working-day calendar: the deadline checker and the admin override form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import CalendarDayKind
from caicach.core.versioning import StampField


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
    stamp = StampField()

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            once.creating(self)  # a new day: no copy to compare, a one-time token

    @classmethod
    def initial_for(cls, day: Any) -> dict[str, Any]:
        return {
            "date": day.date,
            "kind": day.kind,
            "description": day.description,
            "source": day.source,
            "stamp": day.updated_at.isoformat(),
        }
