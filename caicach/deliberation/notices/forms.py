"""Forms of a meeting's documents. The points' unit and agenda lists are plain choices built
once per page (not model querysets each row would re-read), so the page's query count does
not grow with its rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.versioning import VersionField

MAX_POINTS = 100


class DocumentForm(Form):
    """The draft's text: what the document adds, "Nơi nhận", who signs."""

    summary = forms.CharField(
        label=_("Nội dung chính"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi nơi nhận một dòng; để trống thì in nơi nhận thường dùng (kết thúc bằng “Lưu: VT, VP.”)."
        ),
    )
    signer = forms.TypedChoiceField(label=_("Người ký"), coerce=int, required=False, empty_value=None)
    version = VersionField(min_value=0)

    def __init__(self, *args: Any, signers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = [("", _("— Chọn người ký —")), *signers]  # type: ignore[attr-defined]


class IssueForm(Form):
    """The "Ban hành" button: the draft as the signer saw it."""

    version = VersionField()


class PointForm(Form):
    position = BoundedIntegerField(label=_("Thứ tự"), min_value=1, max_value=999, required=False)
    content = forms.CharField(
        label=_("Nội dung kết luận, giao nhiệm vụ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = forms.TypedChoiceField(
        label=_("Cơ quan chủ trì"), coerce=int, required=False, empty_value=None
    )
    coordinating_units = forms.TypedMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    deadline = VietnameseDateField(label=_("Thời hạn hoàn thành"), span=chronology.PLANNED, required=False)
    agenda_item = forms.TypedChoiceField(
        label=_("Nội dung phiên họp"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        units: Sequence[tuple[int, str]] = (),
        items: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["coordinating_units"].choices = list(units)  # type: ignore[attr-defined]
        self.fields["agenda_item"].choices = [("", "—"), *items]  # type: ignore[attr-defined]


PointFormSet = formset_factory(
    PointForm, extra=0, max_num=MAX_POINTS, validate_max=True, absolute_max=MAX_POINTS + 5, can_delete=True
)
