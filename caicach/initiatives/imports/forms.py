"""Forms of the import pages: the file (read and checked here, so a bad file is a field error)
and where the draft goes — a new one of a unit in a campaign, or an existing draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core.forms import Form
from caicach.core.models import Unit, User
from caicach.core.permissions import acting_units
from caicach.core.uploads import human_size
from caicach.core.versioning import VersionField
from caicach.initiatives.dossiers.rules import EDITABLE_STATUSES, campaigns_to_enter
from caicach.initiatives.imports.parser import MAX_IMPORT_BYTES, ParsedDossier, parse_dossier
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind


def import_units(user: User) -> QuerySet[Unit]:
    """The units whose dossiers ``user`` may create: those they act for."""
    return acting_units(user)


def import_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns taking dossiers today that one of ``user``'s units may enter (the service
    checks the chosen unit): the create form's choice."""
    return campaigns_to_enter(user)


def import_targets(user: User) -> QuerySet[Initiative]:
    """The user's own solution drafts (created or co-authored with their account) still open
    to editing: the ``change`` rule's authors, as a query."""
    return (
        Initiative.objects.filter(status__in=EDITABLE_STATUSES, kind=InitiativeKind.SOLUTION)
        .filter(Q(created_by=user) | Q(authorships__user=user))
        .distinct()
        .order_by("-updated_at", "-pk")
    )


class DossierFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Tệp hồ sơ (.docx hoặc .txt)"))
        kwargs.setdefault(
            "help_text",
            _(
                "Thuyết minh mô tả giải pháp hoặc Báo cáo hiệu quả áp dụng, theo mẫu. "
                "Nội dung đọc được sẽ điền sẵn vào hồ sơ nháp để bạn kiểm tra."
            ),
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}))
        super().__init__(**kwargs)


class _ParsingForm(Form):
    file = DossierFileField()
    parsed: ParsedDossier | None = None

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        assert isinstance(upload, UploadedFile)
        # Checked before reading: the whole file is read into memory to be parsed.
        size = upload.size or 0
        if size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Tệp quá lớn (%(size)s). Dung lượng tối đa là %(max)s.")
                % {"size": human_size(size), "max": human_size(MAX_IMPORT_BYTES)}
            )
        upload.seek(0)
        self.parsed = parse_dossier(upload.read(), upload.name or "")
        return upload

    @property
    def filename(self) -> str:
        upload = self.cleaned_data.get("file")
        return str(getattr(upload, "name", "") or "")


class DossierImportForm(_ParsingForm):
    """Upload page: a new draft of a unit in a campaign (required), or one of the user's
    drafts."""

    target = forms.ModelChoiceField(
        label=_("Nhập vào hồ sơ đang soạn"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("— Tạo hồ sơ nháp mới —"),
        help_text=_("Chỉ điền các mục còn trống của hồ sơ; bảng tác giả chỉ được nhập khi hồ sơ chưa có."),
    )
    unit = forms.ModelChoiceField(label=_("Đơn vị đề xuất"), queryset=Unit.objects.none(), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Đợt phát động"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— Chọn đợt phát động —"),
        help_text=_("Bắt buộc với hồ sơ mới: hồ sơ chỉ đến được hội đồng sáng kiến qua một đợt phát động."),
    )

    field_order = ("file", "target", "unit", "campaign")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = import_units(user).order_by("name")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)
        campaign_field.queryset = import_campaigns(user)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ModelChoiceField)
        target_field.queryset = import_targets(user)
        if user.unit_id:
            unit_field.initial = user.unit_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("target") is None and data.get("unit") is None:
            self.add_error("unit", _("Vui lòng chọn đơn vị đề xuất cho hồ sơ mới."))
        # A new draft outside any campaign would never reach a council.
        if data.get("target") is None and data.get("campaign") is None and "campaign" not in self.errors:
            self.add_error("campaign", _("Vui lòng chọn đợt phát động để gửi hồ sơ."))
        return data


class DossierImportIntoForm(_ParsingForm):
    """Import into one given draft; ``version`` is the draft's when the page was built."""

    version = VersionField()


class PlaceholderImportForm(Form):
    """Confirms creating the draft with the user as a stand-in author (the file had no valid
    authors table); ``token`` names the parse result kept in the session."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: bảng tác giả sẽ tạm ghi tôi là tác giả duy nhất (100%) và tôi sẽ sửa lại."),
        required=True,
    )
