"""The security log's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import Form, VietnameseDateField, refuse_reversed_range
from caicach.core.models import SecurityKind
from caicach.core.security.queries import SecurityFilters


class SecuritySearchForm(Form):
    kind = forms.ChoiceField(
        label=_("Loại sự kiện"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("auth.", _("Mọi sự kiện đăng nhập")),
            ("mfa.", _("Mọi sự kiện xác thực hai bước")),
            *SecurityKind.choices,
        ],
    )
    user = forms.CharField(label=_("Người dùng"), required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(label=_("Địa chỉ IP"), required=False)
    date_from = VietnameseDateField(label=_("Từ ngày"), required=False, span=chronology.RECORDED)
    date_to = VietnameseDateField(label=_("Đến ngày"), required=False, span=chronology.RECORDED)
    text = forms.CharField(label=_("Nội dung"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refuse_reversed_range(self, cleaned, "date_from", "date_to")
        return cleaned

    def filters(self) -> SecurityFilters:
        data = self.cleaned_data
        return SecurityFilters(
            kind=data.get("kind") or "",
            user=data.get("user") or "",
            ip_address=data.get("ip_address") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("text") or "",
        )
