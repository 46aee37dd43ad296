"""Forms of the practice pages: the practice itself (Home Affairs creating or editing, a unit
proposing), the evaluation, publication and one attachment. They validate input only; the
services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core.models import ReformField, ReformIndex, Unit
from caicach.core.once import creating
from caicach.core.versioning import VersionField
from caicach.replication.models import PracticeKind, PracticeStatus


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
