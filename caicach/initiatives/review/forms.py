"""Forms of the council's pages. They check each field; the services validate the whole
(bands against the criterion's cap, the pass mark against the total, the vote rule)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core import search as fulltext
from caicach.core.forms import (
    INTEGER_MAX,
    BoundedIntegerField,
    Form,
    ModelForm,
    VietnameseDateField,
    VietnameseDecimalField,
)
from caicach.core.models import User
from caicach.core.versioning import VersionField
from caicach.initiatives.models import (
    Council,
    CouncilMember,
    CouncilRole,
    Criterion,
    Initiative,
    RecognitionLevel,
    Rubric,
)

_BAND = re.compile(
    r"^\s*(?P<low>\d+(?:[.,]\d{1,})?)\s*(?:-|–|—|đến)\s*(?P<high>\d+(?:[.,]\d{1,})?)\s*(?:điểm)?\s*[:.]\s*(?P<text>.+?)\s*$",
    re.IGNORECASE,
)


def parse_bands(text: str) -> list[dict[str, Any]]:
    """One band per line, "21–30: Có tính mới trong phạm vi tỉnh" (a hyphen or dash, then a
    colon). Raises ValidationError naming the lines it cannot read."""
    bands: list[dict[str, Any]] = []
    bad: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _BAND.match(line)
        if match is None:
            bad.append(line.strip())
            continue
        bands.append(
            {
                "min_points": Decimal(match["low"].replace(",", ".")),
                "max_points": Decimal(match["high"].replace(",", ".")),
                "description": match["text"],
            }
        )
    if bad:
        raise ValidationError(
            _("Không đọc được mức điểm: “%(lines)s”. Mỗi mức một dòng, dạng “21–30: mô tả”."),
            params={"lines": "”, “".join(bad)},
        )
    return bands


def bands_text(criterion: Criterion) -> str:
    def points(value: Decimal) -> str:
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    return "\n".join(
        f"{points(b.min_points)}–{points(b.max_points)}: {b.description}" for b in criterion.bands.all()
    )


class RubricForm(ModelForm):
    version = VersionField()

    class Meta:
        model = Rubric
        fields = (
            "name",
            "description",
            "pass_mark",
            "vote_numerator",
            "vote_denominator",
            "disagreement_threshold",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "vote_numerator": _("Ví dụ 2/3: tử số 2, mẫu số 3 (Nghị định 13/2012: ít nhất 2/3 tán thành)."),
            "disagreement_threshold": _(
                "Hồ sơ có điểm cao nhất và thấp nhất chênh lệch hơn mức này cần thảo luận."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            once.creating(self)  # a new record: no copy to compare, a one-time token

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CriterionForm(Form):
    id = BoundedIntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=INTEGER_MAX)
    name = forms.CharField(label=_("Tiêu chí"), max_length=255, required=False)
    max_points = VietnameseDecimalField(
        label=_("Điểm tối đa"), max_digits=6, decimal_places=2, required=False
    )
    description = forms.CharField(
        label=_("Hướng dẫn chấm"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    bands = forms.CharField(
        label=_("Mức điểm"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Mỗi mức một dòng, ví dụ “21–30: Có tính mới trong phạm vi tỉnh”. Có thể để trống."),
    )

    def clean_bands(self) -> list[dict[str, Any]]:
        return parse_bands(self.cleaned_data.get("bands") or "")

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("name") and data.get("max_points") is None and not data.get("bands")


CriterionFormSet = formset_factory(CriterionForm, extra=2, can_delete=True)


def criteria_initial(rubric: Rubric | None) -> list[dict[str, Any]]:
    if rubric is None:
        return []
    return [
        {
            "id": c.pk,
            "name": c.name,
            "max_points": c.max_points,
            "description": c.description,
            "bands": bands_text(c),
        }
        for c in rubric.criteria.all()
    ]


def criteria_data(formset: Any) -> list[dict[str, Any]]:
    """The formset's rows for the service: deleted and empty rows left out."""
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or form.is_blank:
            continue
        data = form.cleaned_data
        rows.append(
            {
                "id": data.get("id"),
                "name": data.get("name") or "",
                "max_points": data.get("max_points"),
                "description": data.get("description") or "",
                "bands": data.get("bands") or [],
            }
        )
    return rows


class CouncilForm(ModelForm):
    version = VersionField()
    scoring_deadline = VietnameseDateField(label=_("Hạn chấm điểm"), required=False, span=chronology.PLANNED)
    meeting_on = VietnameseDateField(label=_("Ngày họp hội đồng"), required=False, span=chronology.PLANNED)

    class Meta:
        model = Council
        fields = ("name", "established_by", "scoring_deadline", "reminder_working_days", "meeting_on",
                  "meeting_place")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            once.creating(self)  # a new record: no copy to compare, a one-time token

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UserSearchForm(Form):
    q = forms.CharField(
        label=_("Tìm người"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Họ tên, tên đăng nhập, thư điện tử")}
        ),
    )


def find_users(query: str, *, limit: int = 50) -> QuerySet[User]:
    """Active users whose name, username or email contains every word of ``query``
    (accent- and case-insensitive, on the indexed folded column)."""
    users = User.objects.filter(is_active=True).select_related("unit").order_by("full_name", "username")
    if not fulltext.terms(query):
        return users.none()
    return fulltext.search(users, query, fuzzy=True)[:limit]


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        unit = f" — {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.full_name or obj.username} ({obj.username}){unit}"


class CouncilMemberAddForm(Form):
    user = UserChoiceField(label=_("Người được cử"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER)

    def __init__(self, *args: Any, query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, UserChoiceField)
        if self.is_bound:
            # The posted id is checked against every active user; the search only narrows
            # what the page offers.
            field.queryset = User.objects.filter(is_active=True).select_related("unit")
        else:
            field.queryset = find_users(query)


class CouncilMemberRoleForm(Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=CouncilRole.choices)


class DossierChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.unit.name} ({obj.get_status_display()})"


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name or obj.user.username} — {obj.get_role_display()}"


class AssignForm(Form):
    initiatives = DossierChoiceField(
        label=_("Hồ sơ"), queryset=Initiative.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    members = MemberChoiceField(
        label=_("Thành viên chấm"), queryset=CouncilMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        dossiers: QuerySet[Initiative],
        members: QuerySet[CouncilMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        dossier_field = self.fields["initiatives"]
        member_field = self.fields["members"]
        assert isinstance(dossier_field, forms.ModelMultipleChoiceField)
        assert isinstance(member_field, forms.ModelMultipleChoiceField)
        dossier_field.queryset = dossiers
        member_field.queryset = members


class ScoreForm(Form):
    """One decimal box per criterion (0..max), the comment, and the version of the sheet."""

    version = VersionField()
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = VietnameseDecimalField(
                label=criterion.name, required=False, max_digits=6, decimal_places=2
            )

    def points(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}

    def criterion_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(c, self[f"criterion_{c.pk}"]) for c in self.criteria]


class ConflictForm(Form):
    reason = forms.CharField(
        label=_("Lý do xung đột lợi ích"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=200,
        help_text=_("Ví dụ: là người hướng dẫn tác giả, có quan hệ gia đình với tác giả."),
    )


class RoundCloseForm(Form):
    confirm_missing = forms.BooleanField(
        label=_("Tôi xác nhận khóa vòng chấm dù còn phiếu chưa nộp"), required=False
    )


class VoteForm(Form):
    members_present = BoundedIntegerField(label=_("Số thành viên dự họp"), min_value=0, max_value=999)
    votes_for = BoundedIntegerField(label=_("Số phiếu tán thành"), min_value=0, max_value=999)
    votes_against = BoundedIntegerField(
        label=_("Số phiếu không tán thành"), min_value=0, max_value=999, initial=0
    )
    level = forms.ChoiceField(
        label=_("Cấp công nhận"), choices=[("", "—"), *RecognitionLevel.choices], required=False
    )
    reasons = forms.CharField(
        label=_("Lý do không công nhận"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MinutesForm(Form):
    issued_on = VietnameseDateField(
        label=_("Ngày biên bản"),
        required=False,
        help_text=_("Để trống để lấy ngày họp hội đồng."),
        span=chronology.ISSUED,
    )
