"""The audit trail's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.audit.queries import AuditFilters, audited_content_types, known_actions
from caicach.core.forms import Form, VietnameseDateField, refuse_reversed_range


class ContentTypeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name).capitalize() if model is not None else str(obj.model)


class AuditSearchForm(Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Thao tác"),
        required=False,
        max_length=64,
        help_text=_(
            "Mã thao tác, ví dụ unit.update; kết thúc bằng dấu chấm (unit.) để lấy mọi thao tác cùng loại."
        ),
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
    )
    content_type = ContentTypeChoiceField(
        label=_("Loại đối tượng"),
        required=False,
        queryset=ContentType.objects.none(),
        empty_label=_("Tất cả"),
    )
    object_id = forms.CharField(label=_("Mã số đối tượng"), required=False, max_length=64)
    date_from = VietnameseDateField(label=_("Từ ngày"), required=False, span=chronology.RECORDED)
    date_to = VietnameseDateField(label=_("Đến ngày"), required=False, span=chronology.RECORDED)
    text = forms.CharField(label=_("Nội dung"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content_type"].queryset = audited_content_types()  # type: ignore[attr-defined]
        self.action_choices = known_actions()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refuse_reversed_range(self, cleaned, "date_from", "date_to")
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            content_type=data.get("content_type"),
            object_id=data.get("object_id") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("text") or "",
        )
