"""Forms of the campaign pages. They check each field and offer only the units within the
reform officer's jurisdiction; the services validate the campaign as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.forms import Form, ModelForm, VietnameseDateField
from caicach.core.models import ReformField, ReformIndex, Role, Unit, UnitKind, User
from caicach.core.permissions import principal, subtree_ids
from caicach.core.units.forms import UnitChoiceField, UnitMultipleChoiceField
from caicach.core.versioning import VersionField
from caicach.initiatives.campaigns.queries import units_of_kinds_in_jurisdiction
from caicach.initiatives.campaigns.services import M2M_FIELDS, SCALAR_FIELDS
from caicach.initiatives.models import Campaign, Rubric

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LONG_TEXT = {"rows": 4}
SHORT_TEXT = {"rows": 2}


@dataclass(frozen=True)
class FieldGroup:
    title: str
    fields: list[BoundField]


class CampaignForm(ModelForm):
    """Create or edit a draft campaign. ``version`` travels with the form so an edit made
    from a stale page is refused (``campaign_update``)."""

    version = VersionField()
    issuing_unit = UnitChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    receiving_unit = UnitChoiceField(label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none())
    window_start = VietnameseDateField(label=_("Nhận sáng kiến từ ngày"), span=chronology.PLANNED)
    window_end = VietnameseDateField(label=_("Đến hết ngày"), span=chronology.PLANNED)
    reform_fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực CCHC"),
        queryset=ReformField.objects.order_by("position", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_indices = forms.ModelMultipleChoiceField(
        label=_("Chỉ số cần cải thiện"),
        queryset=ReformIndex.objects.order_by("position", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_units = UnitMultipleChoiceField(
        label=_("Đơn vị tham gia (chọn từng đơn vị)"),
        queryset=Unit.objects.none(),
        required=False,
    )
    add_kinds = forms.MultipleChoiceField(
        label=_("Thêm tất cả đơn vị thuộc loại"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Khi lưu, mọi đơn vị đang hoạt động thuộc loại đã chọn trong phạm vi quản lý của cơ quan ban "
            "hành (ví dụ: tất cả UBND xã, tất cả phòng, ban thuộc huyện) được thêm vào danh sách đơn vị "
            "tham gia."
        ),
    )
    rubric = forms.ModelChoiceField(
        label=_("Bộ tiêu chí chấm điểm"), queryset=Rubric.objects.order_by("name", "pk"), required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "issuing_unit",
            "title",
            "legal_basis",
            "introduction",
            "purpose",
            "requirements",
            "initiative_requirements",
            "participants",
            "presentation_requirements",
            "solution_scope",
            "reform_fields",
            "target_indices",
            "eligible_units",
            "min_initiatives_per_unit",
            "window_start",
            "window_end",
            "receiving_unit",
            "contact",
            "submission_form",
            "reminder_working_days",
            "rubric",
            "closing",
            "recipients",
            "signer_authority",
            "signer_title",
            "signer_name",
            "place",
        ]
        widgets = {
            "title": forms.Textarea(attrs=SHORT_TEXT),
            "legal_basis": forms.Textarea(attrs=LONG_TEXT),
            "introduction": forms.Textarea(attrs=SHORT_TEXT),
            "purpose": forms.Textarea(attrs=LONG_TEXT),
            "requirements": forms.Textarea(attrs=LONG_TEXT),
            "initiative_requirements": forms.Textarea(attrs=LONG_TEXT),
            "participants": forms.Textarea(attrs=SHORT_TEXT),
            "presentation_requirements": forms.Textarea(attrs=SHORT_TEXT),
            "solution_scope": forms.Textarea(attrs=LONG_TEXT),
            "closing": forms.Textarea(attrs=SHORT_TEXT),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }

    GROUPS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
        (_("Kế hoạch"), ("issuing_unit", "title", "legal_basis", "introduction")),
        (_("I. Mục đích, yêu cầu"), ("purpose", "requirements")),
        (
            _("II. Nội dung"),
            (
                "initiative_requirements",
                "solution_scope",
                "reform_fields",
                "target_indices",
                "participants",
                "presentation_requirements",
            ),
        ),
        (_("Đơn vị tham gia"), ("eligible_units", "add_kinds", "min_initiatives_per_unit")),
        (
            _("Thời gian, nơi nhận sáng kiến"),
            (
                "window_start",
                "window_end",
                "receiving_unit",
                "contact",
                "submission_form",
                "reminder_working_days",
            ),
        ),
        (_("Chấm điểm"), ("rubric",)),
        (
            _("Câu kết, nơi nhận, người ký"),
            ("closing", "recipients", "signer_authority", "signer_title", "signer_name", "place"),
        ),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        who = principal(actor)
        # None: an administrator, who may pick any unit.
        self.scope = who.scope_units(Role.REFORM_OFFICER) if who is not None else subtree_ids([])
        in_scope = (
            Unit.objects.active() if self.scope is None else Unit.objects.active().filter(pk__in=self.scope)
        )
        current = self.instance.pk
        issuing = in_scope
        if current:
            # Keep what the draft already holds selectable even if it left the scope since.
            issuing = Unit.objects.filter(pk__in=in_scope.values("pk")) | Unit.objects.filter(
                pk=self.instance.issuing_unit_id
            )
        self.fields["issuing_unit"].queryset = issuing.order_by("code")  # type: ignore[attr-defined]
        receiving = in_scope
        if current:
            receiving = Unit.objects.filter(pk__in=in_scope.values("pk")) | Unit.objects.filter(
                pk=self.instance.receiving_unit_id
            )
        self.fields["receiving_unit"].queryset = receiving.order_by("code")  # type: ignore[attr-defined]
        eligible = in_scope
        if current:
            eligible = Unit.objects.filter(pk__in=in_scope.values("pk")) | Unit.objects.filter(
                campaigns_open=self.instance
            )
        self.fields["eligible_units"].queryset = eligible.distinct().order_by("code")  # type: ignore[attr-defined]
        self.fields["eligible_units"].widget.attrs["size"] = 12
        if current:
            self.fields["version"].initial = self.instance.version
        else:
            once.creating(self)  # a new campaign: no copy to compare, a one-time token

    def _post_clean(self) -> None:
        # No model validation here: the service checks the campaign as a whole, with the
        # same messages whichever way the data came (form, demo, import).
        pass

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kinds = cleaned.get("add_kinds") or []
        chosen = list(cleaned.get("eligible_units") or [])
        if kinds:
            issuing = cleaned.get("issuing_unit")
            if issuing is None:
                self.add_error("add_kinds", _("Chọn cơ quan ban hành trước khi thêm đơn vị theo loại."))
            else:
                known = {unit.pk for unit in chosen}
                extra = units_of_kinds_in_jurisdiction(
                    issuing_unit_id=issuing.pk, kinds=kinds, scope=self.scope
                )
                chosen += [unit for unit in extra if unit.pk not in known]
        cleaned["eligible_units"] = chosen
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("Ngày kết thúc nhận sáng kiến phải sau ngày bắt đầu."))
        return cleaned

    def groups(self) -> list[FieldGroup]:
        return [FieldGroup(str(title), [self[name] for name in names]) for title, names in self.GROUPS]

    def service_data(self, implementation: list[dict[str, str]]) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in (*SCALAR_FIELDS, *M2M_FIELDS)
            if name in self.cleaned_data
        }
        data["implementation"] = implementation
        return data


class ImplementationItemForm(Form):
    """One item of section III "Tổ chức thực hiện": who, and what they do."""

    heading = forms.CharField(
        label=_("Cơ quan, đơn vị"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Phòng Nội vụ huyện:")}),
    )
    duties = forms.CharField(label=_("Nhiệm vụ"), required=False, widget=forms.Textarea(attrs=SHORT_TEXT))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("duties", "").strip() and not cleaned.get("heading", "").strip():
            self.add_error("heading", _("Vui lòng ghi cơ quan, đơn vị thực hiện nhiệm vụ này."))
        return cleaned


ImplementationFormSet = forms.formset_factory(ImplementationItemForm, extra=2, max_num=30, validate_max=True)


def implementation_formset(data: Any = None, *, campaign: Campaign | None = None) -> Any:
    initial = [
        {"heading": item.get("heading", ""), "duties": item.get("duties", "")}
        for item in (campaign.implementation if campaign is not None else [])
        if isinstance(item, dict)
    ]
    return ImplementationFormSet(data, initial=initial, prefix="implementation")


def implementation_items(formset: Any) -> list[dict[str, str]]:
    """The filled rows, in order; empty rows (the spare ones) are dropped."""
    items: list[dict[str, str]] = []
    for form in formset.forms:
        heading = (form.cleaned_data.get("heading") or "").strip()
        duties = (form.cleaned_data.get("duties") or "").strip()
        if heading or duties:
            items.append({"heading": heading, "duties": duties})
    return items


class ExtendWindowForm(Form):
    new_end = VietnameseDateField(label=_("Nhận sáng kiến đến hết ngày"), span=chronology.PLANNED)
    reason = forms.CharField(
        label=_("Lý do gia hạn, mở lại"), max_length=1000, widget=forms.Textarea(attrs=SHORT_TEXT)
    )
    version = VersionField()

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = campaign.version
        self.fields["new_end"].initial = campaign.window_end


class CloseCampaignForm(Form):
    version = VersionField()
