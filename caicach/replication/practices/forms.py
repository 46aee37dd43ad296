"""Forms of the practice pages: the practice itself (Home Affairs creating or editing, a unit
proposing), the evaluation, publication and one attachment. They validate input only; the
services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import Form
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.core.once import creating
from caicach.core.permissions import scope_key
from caicach.core.versioning import VersionField
from caicach.replication.models import PracticeKind, PracticeStatus
from caicach.replication.practices import queries


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _area(
    rows: int, max_length: int = 20000, *, label: Any, required: bool = False, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


class PracticeForm(forms.Form):
    """A practice's content. Modes: ``create`` (Home Affairs: the committee is chosen, a
    one-time token guards the form), ``edit`` (the version guards it), ``propose`` (a unit:
    the proposing unit is chosen, the proposal note is required, a one-time token)."""

    committee = UnitChoiceField(label=_("UBND quản lý danh mục"), queryset=Unit.objects.none())
    proposing_unit = UnitChoiceField(label=_("Đơn vị giới thiệu"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên mô hình, giải pháp"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=PracticeKind.choices)
    origin_unit = UnitChoiceField(
        label=_("Đơn vị xây dựng (trong tỉnh)"), queryset=Unit.objects.none(), required=False
    )
    origin_external_name = forms.CharField(
        label=_("hoặc đơn vị xây dựng ngoài tỉnh"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: UBND tỉnh Đồng Tháp."),
    )
    reform_fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực CCHC"),
        queryset=ReformField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indices = forms.ModelMultipleChoiceField(
        label=_("Chỉ số cải thiện"),
        queryset=ReformIndex.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _area(4, label=_("Tóm tắt"), required=True)
    implementation_steps = _area(6, label=_("Cách thức thực hiện (các bước)"))
    conditions = _area(3, label=_("Điều kiện áp dụng"))
    cost = _area(2, 5000, label=_("Kinh phí"))
    contact = _area(2, 5000, label=_("Đầu mối liên hệ"))
    proposal_note = _area(
        4,
        label=_("Nội dung giới thiệu"),
        required=True,
        help_text=_("Nơi đã áp dụng, kết quả đạt được và lý do đề xuất nhân rộng."),
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        mode: str,
        units: QuerySet[Unit],
        committees: QuerySet[Unit] | None = None,
        proposing_units: QuerySet[Unit] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_unit"].queryset = units  # type: ignore[attr-defined]
        if mode == "create":
            self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        else:
            del self.fields["committee"]
        if mode == "propose":
            self.fields["proposing_unit"].queryset = proposing_units  # type: ignore[attr-defined]
            self.fields["origin_unit"].help_text = _("Để trống: mô hình của chính đơn vị giới thiệu.")
        else:
            del self.fields["proposing_unit"]
            del self.fields["proposal_note"]
        if mode == "edit":
            return
        creating(self)


class EvaluateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả đánh giá"),
        choices=[
            (PracticeStatus.ACCEPTED, _("Chọn để nhân rộng")),
            (PracticeStatus.DECLINED, _("Không chọn")),
        ],
        widget=forms.RadioSelect,
    )
    note = _area(3, 5000, label=_("Ý kiến đánh giá"), help_text=_("Bắt buộc khi không chọn."))
    version = VersionField()


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = VersionField()


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp"))
    description = forms.CharField(label=_("Mô tả"), max_length=255, required=False)
    is_public = forms.BooleanField(
        label=_("Công khai trên trang giới thiệu mô hình"),
        required=False,
        help_text=_("Chỉ tệp được đánh dấu công khai mới hiện cho người dân."),
    )


class _NamedChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _every(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Tất cả")), *choices]


class PracticeFilterForm(Form):
    """The list's filters. The pickers' options (fields, indices, the units behind the
    practices the user sees: a few hundred nationally) are kept together
    (``choices.keep_options``); a value that is not among them is left out of the filter
    and its error shown."""

    q = forms.CharField(
        label=_("Tìm kiếm"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=_every(PracticeKind.choices))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=_every(PracticeStatus.choices))
    field = _NamedChoiceField(
        label=_("Lĩnh vực CCHC"), queryset=ReformField.objects.none(), required=False, empty_label=_("Tất cả")
    )
    index = _NamedChoiceField(
        label=_("Chỉ số"), queryset=ReformIndex.objects.none(), required=False, empty_label=_("Tất cả")
    )
    origin_unit = _NamedChoiceField(
        label=_("Đơn vị xây dựng"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("field", queries.field_choices()),
            ("index", queries.index_choices()),
            ("origin_unit", queries.origin_unit_choices(user)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        keep_options(self, scope_key(user))

    def filters(self) -> queries.PracticeFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def chosen(name: str) -> int | None:
            row = data.get(name)
            return row.pk if row is not None else None

        return queries.PracticeFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            field=chosen("field"),
            index=chosen("index"),
            origin_unit=chosen("origin_unit"),
            q=data.get("q") or "",
        )
