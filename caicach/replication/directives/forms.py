"""Forms of the directive pages: the text, the practices it lists, one assignment, and the
small confirmations (issue, extend). They validate input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import INTEGER_MAX, BoundedIntegerField, VietnameseDateField
from caicach.core.models import DocumentType, Unit
from caicach.core.once import creating
from caicach.core.versioning import VersionField
from caicach.replication.directives.queries import DIRECTIVE_DOCUMENT_TYPES
from caicach.replication.models import (
    AssignmentRole,
    Directive,
    DirectiveSection,
    Practice,
    ReportingCycle,
    TargetGroup,
)

DOCUMENT_TYPE_CHOICES = [
    (value, label) for value, label in DocumentType.choices if value in DIRECTIVE_DOCUMENT_TYPES
]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DirectiveForm(forms.Form):
    """The directive's text. Creating: the issuing committee is chosen and a one-time token
    guards the form; editing: the version does."""

    issuing_unit = UnitChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    document_type = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=DOCUMENT_TYPE_CHOICES,
        initial=DocumentType.OFFICIAL_LETTER,
        help_text=_("Công văn: số văn bản không có ký hiệu loại (ví dụ “05/UBND-SNV”)."),
    )
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    legal_basis = forms.CharField(
        label=_("Căn cứ"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    preamble = forms.CharField(
        label=_("Nội dung mở đầu"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    closing = forms.CharField(
        label=_("Nội dung kết thúc"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Để trống: “Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện./.”"),
    )
    coordinator_unit = UnitChoiceField(
        label=_("Cơ quan theo dõi, tổng hợp"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống: đơn vị Nội vụ của bạn."),
    )
    reporting_cycle = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=ReportingCycle.choices)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận; dòng cuối “Lưu: VT, …”."),
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Unit],
        coordinators: QuerySet[Unit],
        directive: Directive | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator_unit"].queryset = coordinators  # type: ignore[attr-defined]
        if directive is None:
            self.fields["issuing_unit"].queryset = committees  # type: ignore[attr-defined]
            creating(self)
        else:
            del self.fields["issuing_unit"]
            self.fields["coordinator_unit"].required = True


class ListingForm(forms.Form):
    """One accepted practice of the committee: listed or not, where and under which number."""

    practice = BoundedIntegerField(min_value=1, max_value=INTEGER_MAX, widget=forms.HiddenInput)
    included = forms.BooleanField(label=_("Nêu trong văn bản"), required=False)
    section = forms.ChoiceField(label=_("Phần"), choices=DirectiveSection.choices)
    group_title = forms.CharField(
        label=_("Nhóm (giải pháp)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("Đối với chỉ số PAPI")}),
    )
    label = forms.CharField(label=_("Số thứ tự"), required=False, max_length=16)
    position = BoundedIntegerField(label=_("Thứ tự"), required=False, min_value=0, max_value=999)


ListingFormSet = forms.formset_factory(ListingForm, extra=0, max_num=300, validate_max=True)


class ListingVersionForm(forms.Form):
    version = VersionField()


class AssignmentForm(forms.Form):
    practices = forms.ModelMultipleChoiceField(
        label=_("Mô hình, giải pháp"), queryset=Practice.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    target_group = forms.ChoiceField(label=_("Giao cho"), choices=TargetGroup.choices)
    target_unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Khi giao cho một đơn vị, hoặc cho các xã thuộc một huyện (chọn huyện)."),
    )
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=AssignmentRole.choices)
    coordinating_units = UnitMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_subordinate_communes = forms.BooleanField(
        label=_("Triển khai tiếp đến UBND cấp xã trực thuộc"), required=False
    )
    due_on = VietnameseDateField(label=_("Thời hạn"), span=chronology.PLANNED, required=False)
    reporting_cycle = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=[("", _("Theo kỳ báo cáo của văn bản")), *ReportingCycle.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Nội dung giao (nếu muốn tự viết)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Để trống: câu giao được soạn tự động từ các lựa chọn trên."),
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        practices: QuerySet[Practice],
        units: QuerySet[Unit],
        coordinators: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = practices  # type: ignore[attr-defined]
        self.fields["target_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["coordinating_units"].queryset = coordinators  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    """A button acting on the directive as the user saw it (issue, remove an assignment)."""

    version = VersionField()
