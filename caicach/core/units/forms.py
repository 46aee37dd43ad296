"""Forms of the organisation pages. They validate input; the services write."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from caicach.core import search as fulltext
from caicach.core.forms import Form, ModelForm, VietnameseDateField
from caicach.core.models import Unit, UnitKind
from caicach.core.units.queries import STATUS_ACTIVE, STATUS_ALL, STATUS_INACTIVE
from caicach.core.units.services import EDITABLE_FIELDS

# Above this many units a single-unit picker becomes a text box with suggestions: a <select>
# of a whole country's units weighs hundreds of kilobytes on every page that holds one.
LOOKUP_THRESHOLD = 300
SUGGESTIONS = 20


def unit_label(code: str, name: str) -> str:
    return f"{code} — {name}"


class UnitSelect(forms.Select):
    """A <select> of units built in plain Python. Django renders each option through a
    template, and even ``format_html`` costs tens of microseconds an option: with a
    province's 3,000 units either was most of the time of every page holding a unit picker.
    Past ``LOOKUP_THRESHOLD`` units it renders a text box instead, whose suggestions come
    from ``unit_suggestions`` as the user types (and which works without them: the field
    reads a code or a name)."""

    allow_lookup = True

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        choices = self.choices
        rows: list[tuple[Any, str]] | None = None
        if self.allow_lookup and isinstance(choices, _UnitChoices):
            units = list(choices.queryset.values_list("pk", "code", "name")[: LOOKUP_THRESHOLD + 1])
            if len(units) > LOOKUP_THRESHOLD:
                return self._render_lookup(name, value, final_attrs, choices.queryset)
            rows = [("", str(choices.field.empty_label))] if choices.field.empty_label is not None else []
            rows += [(pk, unit_label(code, label)) for pk, code, label in units]
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for key, label in rows if rows is not None else self.choices:
            mark = " selected" if str(key) in selected else ""
            options.append(f'<option value="{escape(str(key))}"{mark}>{escape(str(label))}</option>')
        # Safe: every value and label above is escaped, and flatatt escapes the attributes.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")

    def _render_lookup(self, name: str, value: Any, attrs: dict[str, Any], queryset: Any) -> SafeString:
        shown = ""
        if isinstance(value, Unit):
            shown = unit_label(value.code, value.name)
        elif value not in (None, "") and str(value).isdigit():
            found = queryset.filter(pk=value).values_list("code", "name").first()
            shown = unit_label(*found) if found else ""
        elif value not in (None, ""):
            shown = str(value)  # what the user typed, shown back with its error
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs = {
            **attrs,
            "type": "search",
            "value": shown,
            "list": list_id,
            "autocomplete": "off",
            "placeholder": _("Gõ mã hoặc tên đơn vị…"),
            "hx-get": f"{reverse('unit_suggestions')}?field={name}",
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
        }
        return mark_safe(f'<input{flatatt(attrs)}><datalist id="{escape(list_id)}"></datalist>')


class _UnitChoices(ModelChoiceIterator):
    """(id, "code — name") read from those three columns, without building a model instance
    per unit. Validation still fetches the chosen unit whole."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        for pk, code, name in self.queryset.values_list("pk", "code", "name"):
            yield (pk, unit_label(code, name))


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit picker ("code — name") that stays fast with thousands of units: a select up to
    ``LOOKUP_THRESHOLD`` units, a text box with suggestions beyond. It reads an id (the
    select), or a code, "code — name" or a name that only one unit of its queryset bears."""

    widget = UnitSelect
    iterator = _UnitChoices

    def to_python(self, value: Any) -> Unit | None:
        if value in self.empty_values:
            return None
        text = " ".join(str(value).split())
        if text.isdigit():
            found: Unit | None = super().to_python(value)
            return found
        code = text.split(" — ", 1)[0]
        assert self.queryset is not None
        by_code = self.queryset.filter(code__iexact=code).first()
        if by_code is not None:
            return by_code  # type: ignore[no-any-return]
        matches = list(
            fulltext.ranked(fulltext.search(self.queryset, text, exact_fields=("name",)), "code")[:6]
        )
        if len(matches) == 1:
            return matches[0]  # type: ignore[no-any-return]
        if not matches:
            raise ValidationError(
                _("Không tìm thấy đơn vị “%(text)s”."), code="invalid_choice", params={"text": text}
            )
        raise ValidationError(
            _(
                "Có nhiều đơn vị khớp “%(text)s” (%(names)s…): "
                "hãy chọn trong danh sách gợi ý hoặc nhập mã đơn vị."
            ),
            code="ambiguous",
            params={"text": text, "names": ", ".join(unit.name for unit in matches[:5])},
        )


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
