"""Forms of meeting dossiers: they validate input; the services decide."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import once
from caicach.core.choices import keep_options
from caicach.core.forms import Form
from caicach.core.models import Unit
from caicach.core.units.forms import UnitChoiceField
from caicach.deliberation.consultations.forms import VersionedForm
from caicach.deliberation.dossiers.services import PROGRAM_POSTPONE, PROGRAM_WITHDRAW
from caicach.deliberation.models import DossierEntryStatus, WithdrawalDecision
from caicach.workprogram.programs.forms import MonthField


class MarkForm(VersionedForm):
    """The Office marks one part of the checklist (prefix: the entry)."""

    status = forms.ChoiceField(label=_("Tình trạng"), choices=DossierEntryStatus.choices)
    file = forms.FileField(
        label=_("Tệp hồ sơ"),
        required=False,
        help_text=_("Bắt buộc khi đánh dấu đã nhận. PDF, Word (DOCX), Excel (XLSX), ảnh PNG hoặc JPEG."),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=500,
        help_text=_("Bắt buộc khi đánh dấu thiếu."),
    )


class EntryAddForm(once.CreateFormMixin, Form):
    label = forms.CharField(label=_("Thêm thành phần hồ sơ bắt buộc"), max_length=300)


PROGRAM_ACTIONS = [
    (PROGRAM_POSTPONE, _("Lùi thời gian trình sang tháng khác")),
    (PROGRAM_WITHDRAW, _("Rút khỏi chương trình công tác")),
]


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Quyết định của chủ trì"), choices=WithdrawalDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Ý kiến của chủ trì"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    program_action = forms.ChoiceField(
        label=_("Đối với nội dung chương trình công tác"),
        choices=PROGRAM_ACTIONS,
        required=False,
        widget=forms.RadioSelect,
    )
    postpone_to = MonthField(
        label=_("Tháng trình mới (tháng/năm)"),
        required=False,
        help_text=_("Khi lùi thời gian trình: phải sau tháng trình hiện tại."),
    )
    # Set by the confirmation page: a withdrawal is carried out only once confirmed.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, has_program_item: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_program_item:
            del self.fields["program_action"]
            del self.fields["postpone_to"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == WithdrawalDecision.WITHDRAW and "program_action" in self.fields:
            action = cleaned.get("program_action")
            if not action:
                self.add_error(
                    "program_action", _("Vui lòng chọn lùi thời gian trình hoặc rút khỏi chương trình.")
                )
            elif action == PROGRAM_POSTPONE and not cleaned.get("postpone_to"):
                self.add_error("postpone_to", _("Vui lòng nhập tháng trình mới."))
        return cleaned


class CommitteeForm(Form):
    unit = UnitChoiceField(label=_("UBND"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, committees: Any, options_key: Hashable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = committees
        # Every picker's options read as one kept value (``choices.keep_options``): ``options_key``
        # names what the querysets were built from (the user's scope).
        keep_options(self, options_key)
