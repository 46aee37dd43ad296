"""The small forms behind the workflow buttons of a dossier."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import Form, VietnameseDateField
from caicach.core.versioning import VersionField


class SubmitForm(Form):
    # The version the author saw: a dossier changed since (a co-author's edit in another
    # tab) is not sent unseen.
    version = VersionField()


class ConfirmForm(Form):
    # Prefixed: these forms share the dossier page with the other areas' forms.
    prefix = "confirm"
    note = forms.CharField(
        label=_("Ý kiến xác nhận của cơ quan, đơn vị"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không bắt buộc. Ghi vào phần “Xác nhận của cơ quan, đơn vị” của bản thuyết minh."),
    )


class AcceptForm(Form):
    prefix = "accept"
    accepted_on = VietnameseDateField(
        label=_("Ngày tiếp nhận"),
        required=False,
        span=chronology.ISSUED,
        help_text=_("Để trống nếu tiếp nhận hôm nay."),
    )


class ReturnForm(Form):
    comment = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tác giả sẽ nhận được nội dung này; ghi rõ phần nào cần sửa, tài liệu nào cần bổ sung."),
    )


class SendBackForm(Form):
    """The unit head's comments when sending the dossier back to its authors."""

    prefix = "send_back"
    comment = forms.CharField(
        label=_("Ý kiến để tác giả sửa, bổ sung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi rõ ý kiến để tác giả sửa, bổ sung.")},
    )
