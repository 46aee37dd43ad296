"""Forms of the organisation pages. They validate input; the services write."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once, spreadsheets
from caicach.core import search as fulltext
from caicach.core.choices import KeptOptionsField, cached_rows
from caicach.core.forms import Form, ModelForm, VietnameseDateField
from caicach.core.models import Unit, UnitKind
from caicach.core.units.queries import STATUS_ACTIVE, STATUS_ALL, STATUS_INACTIVE
from caicach.core.units.services import EDITABLE_FIELDS
from caicach.core.versioning import VersionField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Above this many units a single-unit picker becomes a text box with suggestions: a <select>
# of a whole country's units weighs hundreds of kilobytes on every page that holds one.
LOOKUP_THRESHOLD = 300
SUGGESTIONS = 20
# A text box of several units: lines beyond these are refused rather than searched (a name
# costs one search a line; ids and codes one query however many lines).
LINES_MAX = 10_000
NAME_LINES_MAX = 100
LISTED_LINES = 10


def unit_label(code: str, name: str) -> str:
    return f"{code} — {name}"


_LINE_END = re.compile(r"[\n;]")
_ID = re.compile(r"[0-9]{1,18}")  # a primary key; longer digits overflow a bigint


def typed_lines(value: Any) -> list[str]:
    """The lines of a text box of units (a newline or ";" ends one), or the ids a select
    posted: whitespace collapsed, empty lines dropped, each line once, in order."""
    items = [value] if isinstance(value, str | int) else list(value or ())
    lines = (" ".join(part.split()) for item in items for part in _LINE_END.split(str(item)))
    return list(dict.fromkeys(line for line in lines if line))


@dataclass(frozen=True)
class UnitLookup:
    """What ``find_units`` made of each line; the lists keep the order of the lines."""

    found: dict[str, Unit]
    unknown: list[str]
    ambiguous: dict[str, list[Unit]]  # the first matches, best first
    unsearched: list[str]  # names past NAME_LINES_MAX


def find_units(queryset: QuerySet[Unit], lines: Sequence[str]) -> UnitLookup:
    """Each line (whitespace collapsed) read as a unit of ``queryset``: digits are its id
    (what a select posts); otherwise a code, whatever its case, also as "code — name";
    otherwise (not a "code — name") a name that only one unit bears (``search(...,
    fuzzy=True)``). Ids take one query and codes one however many lines; a name one search,
    for ``NAME_LINES_MAX`` lines at most."""
    found: dict[str, Unit] = {}
    ambiguous: dict[str, list[Unit]] = {}
    ids = {line: int(line) for line in lines if _ID.fullmatch(line)}
    if ids:
        by_id = {unit.pk: unit for unit in queryset.filter(pk__in=set(ids.values()))}
        found.update({line: by_id[pk] for line, pk in ids.items() if pk in by_id})
    codes = {line: line.split(" — ", 1)[0].upper() for line in lines if line not in ids}
    by_code: dict[str, Unit] = {}
    if codes:
        upper = queryset.annotate(code_upper=Upper("code"))
        for unit in upper.filter(code_upper__in=set(codes.values())):
            by_code.setdefault(unit.code_upper, unit)  # the first in the queryset's order
    names = []
    for line, code in codes.items():
        if code in by_code:
            found[line] = by_code[code]
        elif " — " not in line:
            # A "code — name" whose code is not offered is not guessed from its name: the
            # fuzzy search would take a neighbour ("xã Thanh Điền" for "xã Hảo Đước").
            names.append(line)
    for line in names[:NAME_LINES_MAX]:
        matches = fulltext.search(queryset, line, exact_fields=("name",), fuzzy=True)
        best = list(fulltext.ranked(matches, "code")[:6])
        if len(best) == 1:
            found[line] = best[0]
        elif best:
            ambiguous[line] = best
    unsearched = names[NAME_LINES_MAX:]
    answered = found.keys() | ambiguous.keys() | set(unsearched)
    return UnitLookup(
        found=found,
        unknown=[line for line in lines if line not in answered],
        ambiguous=ambiguous,
        unsearched=unsearched,
    )


def _listed(lines: Sequence[str]) -> str:
    shown = ", ".join(f"“{line}”" for line in lines[:LISTED_LINES])
    if len(lines) <= LISTED_LINES:
        return shown
    return gettext("%(lines)s và %(count)s dòng khác") % {"lines": shown, "count": len(lines) - LISTED_LINES}


def _hinted(attrs: dict[str, Any], hint: StrOrPromise | None) -> tuple[dict[str, Any], str]:
    """``attrs`` described by ``hint`` (aria-describedby), and the hint's HTML, escaped."""
    if not hint:
        return attrs, ""
    hint_id = f"{attrs.get('id') or attrs['name']}_hint"
    described = " ".join(part for part in (attrs.get("aria-describedby"), hint_id) if part)
    html = f'<div class="helptext" id="{escape(hint_id)}">{escape(str(hint))}</div>'
    return {**attrs, "aria-describedby": described}, html


class UnitSelect(forms.Select):
    """A <select> of units built in plain Python. Django renders each option through a
    template, and even ``format_html`` costs tens of microseconds an option: with a
    province's 3,000 units either was most of the time of every page holding a unit picker.
    Past ``LOOKUP_THRESHOLD`` units it renders a text box instead, whose suggestions come
    from ``unit_suggestions`` as the user types (and which works without them: the field
    reads a code or a name)."""

    allow_lookup = True
    # Said under the select, for a select whose use needs explaining.
    select_hint: StrOrPromise | None = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        choices = self.choices
        rows: list[tuple[Any, str]] | None = None
        if self.allow_lookup and isinstance(choices, _UnitChoices):
            field = choices.field
            assert isinstance(field, _UnitOptions)
            units = field.options()
            if units is None:
                units = cached_rows(choices.queryset, lambda _rows: field.read_options(), "unit options")
            if len(units) > LOOKUP_THRESHOLD:
                return self._render_lookup(name, value, final_attrs, choices.queryset)
            rows = [("", str(choices.field.empty_label))] if choices.field.empty_label is not None else []
            rows += [(pk, unit_label(code, label)) for pk, code, label in units]
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for key, label in rows if rows is not None else self.choices:
            mark = " selected" if str(key) in selected else ""
            options.append(f'<option value="{escape(str(key))}"{mark}>{escape(str(label))}</option>')
        final_attrs, hint = _hinted(final_attrs, self.select_hint)
        # Safe: every value and label above is escaped, and flatatt escapes the attributes.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>{hint}")

    def _suggested(self, name: str, list_id: str) -> dict[str, Any]:
        """The attributes of a text box whose suggestions ``unit_suggestions`` sends."""
        return {
            "type": "search",
            "list": list_id,
            "autocomplete": "off",
            "placeholder": _("Gõ mã hoặc tên đơn vị…"),
            "hx-get": f"{reverse('unit_suggestions')}?field={name}",
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
        }

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
        attrs = {**attrs, **self._suggested(name, list_id), "value": shown}
        return mark_safe(f'<input{flatatt(attrs)}><datalist id="{escape(list_id)}"></datalist>')


class UnitSelectMultiple(UnitSelect):
    """The fast unit picker (see ``UnitSelect``) choosing several units: a <select multiple>
    up to ``LOOKUP_THRESHOLD`` units; beyond, a text box of one unit a line ("code — name")
    and a search box with suggestions. The project serves no script of its own, so the user
    copies a suggestion into the list; the search box (``<name>_lookup``) is not read by the
    form."""

    allow_multiple_selected = True
    select_hint = _("Giữ phím Ctrl (Cmd trên máy Mac) để chọn hoặc bỏ chọn nhiều đơn vị.")
    lookup_hint = _(
        "Mỗi dòng một đơn vị, ghi mã hoặc tên đơn vị. Gõ vào ô tìm kiếm để xem gợi ý, "
        "rồi chép dòng gợi ý vào danh sách."
    )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An empty <select multiple> is absent from POST: never "omitted".
        return False

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)

    def _render_lookup(self, name: str, value: Any, attrs: dict[str, Any], queryset: Any) -> SafeString:
        box = {key: given for key, given in attrs.items() if key not in ("multiple", "size")}
        box, hint = _hinted({**box, "rows": attrs.get("size") or 8}, self.lookup_hint)
        box_id = attrs.get("id") or name
        list_id = f"{box_id}-suggestions"
        search = {
            **self._suggested(f"{name}_lookup", list_id),
            "name": f"{name}_lookup",
            "id": f"{box_id}_lookup",
            "aria-label": _("Tìm đơn vị"),
            "aria-describedby": f"{box_id}_hint",
            "disabled": bool(attrs.get("disabled")),
        }
        text = "\n".join(self._lines(value, queryset))
        # Safe: the text and the ids are escaped, and flatatt escapes the attributes. The
        # newline after <textarea> is the one HTML drops, so a first empty line survives.
        return mark_safe(
            f"<textarea{flatatt(box)}>\n{escape(text)}</textarea><input{flatatt(search)}>"
            f'<datalist id="{escape(list_id)}"></datalist>{hint}'
        )

    @staticmethod
    def _lines(value: Any, queryset: Any) -> list[str]:
        """The chosen units as "code — name" (ids or units: the initial value), or the text
        posted, exactly as typed (shown back with its error)."""
        if value in (None, ""):
            return []
        items = [value] if isinstance(value, str) else list(value)
        ids = [item for item in items if isinstance(item, int)]
        labels: dict[int, str] = {}
        if ids:
            for pk, code, name in queryset.filter(pk__in=ids).values_list("pk", "code", "name"):
                labels[pk] = unit_label(code, name)
        lines = []
        for item in items:
            if isinstance(item, Unit):
                lines.append(unit_label(item.code, item.name))
            elif isinstance(item, int):
                lines.append(labels.get(item, str(item)))
            else:
                lines.append(str(item))
        return lines


class _UnitChoices(ModelChoiceIterator):
    """(id, "code — name") read from those three columns, without building a model instance
    per unit. Validation still fetches the chosen unit whole."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        for pk, code, name in self.queryset.values_list("pk", "code", "name"):
            yield (pk, unit_label(code, name))


class _UnitOptions(KeptOptionsField):
    def read_options(self) -> list[tuple[int, str, str]]:
        """(id, code, name) of the first units, one past what a select shows (``UnitSelect``)."""
        return list(self.queryset.values_list("pk", "code", "name")[: LOOKUP_THRESHOLD + 1])


class UnitChoiceField(forms.ModelChoiceField, _UnitOptions):  # type: ignore[type-arg]
    """A unit picker ("code — name") that stays fast with thousands of units: a select up to
    ``LOOKUP_THRESHOLD`` units, a text box with suggestions beyond. It reads an id (the
    select), or a code, "code — name" or a name that only one unit of its queryset bears
    (``find_units``)."""

    widget = UnitSelect
    iterator = _UnitChoices

    def to_python(self, value: Any) -> Unit | None:
        if value in self.empty_values:
            return None
        text = " ".join(str(value).split())
        if text.isdigit():
            chosen: Unit | None = super().to_python(value)
            return chosen
        assert self.queryset is not None
        lookup = find_units(self.queryset, [text])
        if text in lookup.found:
            return lookup.found[text]
        if text in lookup.ambiguous:
            raise ValidationError(
                _(
                    "Có nhiều đơn vị khớp “%(text)s” (%(names)s…): "
                    "hãy chọn trong danh sách gợi ý hoặc nhập mã đơn vị."
                ),
                code="ambiguous",
                params={"text": text, "names": ", ".join(unit.name for unit in lookup.ambiguous[text][:5])},
            )
        raise ValidationError(
            _("Không tìm thấy đơn vị “%(text)s”."), code="invalid_choice", params={"text": text}
        )


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField, _UnitOptions):  # type: ignore[type-arg]
    """Several units, fast with thousands (``UnitSelectMultiple``). It reads the ids a select
    posts, or the lines of the text box, each as ``UnitChoiceField`` reads one unit
    (``find_units``); a unit named twice counts once."""

    widget = UnitSelectMultiple
    iterator = _UnitChoices

    def clean(self, value: Any) -> QuerySet[Unit]:
        assert self.queryset is not None
        lines = typed_lines(self.prepare_value(value))
        if not lines:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        if len(lines) > LINES_MAX:
            raise ValidationError(
                _("Danh sách có %(count)s dòng, vượt quá %(max)s dòng."),
                code="too_many",
                params={"count": len(lines), "max": LINES_MAX},
            )
        lookup = find_units(self.queryset, lines)
        errors = []
        if lookup.unknown:
            errors.append(
                ValidationError(
                    _("Không tìm thấy đơn vị (trong các đơn vị được phép chọn) khớp với: %(lines)s."),
                    code="invalid_choice",
                    params={"lines": _listed(lookup.unknown)},
                )
            )
        if lookup.ambiguous:
            errors.append(
                ValidationError(
                    _(
                        "Có nhiều đơn vị khớp với: %(lines)s. "
                        "Hãy ghi mã đơn vị hoặc chọn trong danh sách gợi ý."
                    ),
                    code="ambiguous",
                    params={"lines": _listed(list(lookup.ambiguous))},
                )
            )
        if lookup.unsearched:
            errors.append(
                ValidationError(
                    _("Mỗi lần lưu chỉ tìm theo tên được %(max)s dòng; hãy ghi mã đơn vị cho: %(lines)s."),
                    code="too_many_names",
                    params={"max": NAME_LINES_MAX, "lines": _listed(lookup.unsearched)},
                )
            )
        if errors:
            raise ValidationError(errors)
        self.run_validators(value)
        return self.queryset.filter(pk__in={unit.pk for unit in lookup.found.values()})


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

    version = VersionField()
    parent = UnitChoiceField(
        label=_("Đơn vị cấp trên"), queryset=Unit.objects.order_by("code"), required=False
    )
    valid_from = VietnameseDateField(label=_("Hiệu lực từ"), required=False, span=chronology.HISTORIC)
    valid_to = VietnameseDateField(label=_("Hiệu lực đến"), required=False, span=chronology.HISTORIC)

    class Meta:
        model = Unit
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            once.creating(self)  # a new unit: no copy to compare, a one-time token
        else:
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
        span=chronology.PLANNED,
    )
    version = VersionField()

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
        # Refused here, on the form, before a job is started; the job checks it again.
        spreadsheets.check_workbook(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
        return upload
