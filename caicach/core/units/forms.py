"""Forms of the organisation pages. They validate input; the services write."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from caicach.core.forms import Form, ModelForm, VietnameseDateField
from caicach.core.models import Unit, UnitKind
from caicach.core.units.queries import STATUS_ACTIVE, STATUS_ALL, STATUS_INACTIVE
from caicach.core.units.services import EDITABLE_FIELDS


class UnitSelect(forms.Select):
    """A <select> of units built in plain Python. Django renders each option through a
    template, and even ``format_html`` costs tens of microseconds an option: with a
    province's 3,000 units either was most of the time of every page holding a unit picker."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for key, label in self.choices:
            mark = " selected" if str(key) in selected else ""
            options.append(f'<option value="{escape(str(key))}"{mark}>{escape(str(label))}</option>')
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        # Safe: every value and label above is escaped, and flatatt escapes the attributes.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")


class _UnitChoices(ModelChoiceIterator):
    """(id, "code — name") read from those three columns, without building a model instance
    per unit. Validation still fetches the chosen unit whole."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        for pk, code, name in self.queryset.values_list("pk", "code", "name"):
            yield (pk, f"{code} — {name}")


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit picker ("code — name") that stays fast with thousands of units."""

    widget = UnitSelect
    iterator = _UnitChoices


class UnitFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Mã, tên đơn vị…"), "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả các loại")), *UnitKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            (STATUS_ACTIVE, _("Đang hoạt động")),
            (STATUS_INACTIVE, _("Không còn hoạt động")),
            (STATUS_ALL, _("Tất cả")),
        ],
    )


class UnitForm(ModelForm):
    """Create and edit. ``version`` travels with the form so a concurrent edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = UnitChoiceField(
        label=_("Đơn vị cấp trên"), queryset=Unit.objects.order_by("code"), required=False
    )
    valid_from = VietnameseDateField(label=_("Hiệu lực từ"), required=False)
    valid_to = VietnameseDateField(label=_("Hiệu lực đến"), required=False)

    class Meta:
        model = Unit
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["parent"].queryset = Unit.objects.exclude(pk=self.instance.pk).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
        return cleaned

    def validate_unique(self) -> None:
        # The service checks the code (with the same message whichever way the data came).
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UnitMergeForm(Form):
    successor = UnitChoiceField(label=_("Sáp nhập vào đơn vị"), queryset=Unit.objects.none())
    effective_date = VietnameseDateField(
        label=_("Ngày đơn vị kế thừa bắt đầu tiếp nhận"),
        help_text=_("Đơn vị bị sáp nhập hết hiệu lực từ ngày liền trước ngày này."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Unit.objects.exclude(pk=unit.pk).order_by("code")  # type: ignore[attr-defined]
        self.fields["version"].initial = unit.version


class UnitImportForm(Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Vui lòng chọn tệp Excel có đuôi .xlsx."))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES / (1024 * 1024)
            raise forms.ValidationError(_("Tệp quá lớn (giới hạn %(limit)s MB).") % {"limit": f"{limit:g}"})
        return upload
