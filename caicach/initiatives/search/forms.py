"""The filters of the initiatives list (and of its Excel export)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import Form
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.core.permissions import scope_key, units_in_view
from caicach.core.units.forms import UnitChoiceField
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.initiatives.models import Campaign, InitiativeStatus, RecognitionLevel
from caicach.initiatives.search.queries import InitiativeFilters

# Decree 13/2012 (the initiatives charter) is the oldest rule the product knows.
FIRST_YEAR = 2012


class CampaignChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        document = obj.registered_document
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{document.reference} — {title}" if document is not None else title


class InitiativeFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("Tên sáng kiến, tác giả, nội dung…"), "type": "search"}
        ),
    )
    campaign = CampaignChoiceField(
        label=_("Đợt phát động"), queryset=Campaign.objects.none(), required=False, empty_label=_("Tất cả")
    )
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    reform_field = CachedModelChoiceField(
        label=_("Lĩnh vực CCHC"),
        queryset=ReformField.objects.order_by("position", "pk"),
        required=False,
        empty_label=_("Tất cả"),
    )
    target_index = CachedModelChoiceField(
        label=_("Chỉ số"),
        queryset=ReformIndex.objects.order_by("position", "pk"),
        required=False,
        empty_label=_("Tất cả"),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *InitiativeStatus.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Năm"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Năm gửi hồ sơ lần đầu (hồ sơ chưa gửi: năm tạo)."),
    )
    level = forms.ChoiceField(
        label=_("Cấp công nhận"), required=False, choices=[("", _("Tất cả")), *RecognitionLevel.choices]
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may see is offered: their campaigns, and the units of their own
        # jurisdictions (a picker with suggestions past a few hundred).
        self.fields["campaign"].queryset = (  # type: ignore[attr-defined]
            campaigns_for(user).select_related("registered_document").order_by("-window_start", "-pk")
        )
        in_view = units_in_view(user)
        units = Unit.objects.all() if in_view is None else Unit.objects.filter(pk__in=in_view)
        self.fields["unit"].queryset = units.order_by("code")  # type: ignore[attr-defined]
        this_year = clock.today().year
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", _("Tất cả")), *((y, str(y)) for y in range(this_year + 1, FIRST_YEAR - 1, -1))]
        keep_options(self, scope_key(user))

    def filters(self) -> InitiativeFilters:
        """The valid filters (an invalid one, e.g. a campaign the user may not see, is
        left out and its error shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        campaign, unit = data.get("campaign"), data.get("unit")
        reform_field, target_index = data.get("reform_field"), data.get("target_index")
        return InitiativeFilters(
            text=data.get("q") or "",
            campaign_id=campaign.pk if campaign is not None else None,
            unit_id=unit.pk if unit is not None else None,
            reform_field_id=reform_field.pk if reform_field is not None else None,
            target_index_id=target_index.pk if target_index is not None else None,
            status=data.get("status") or "",
            year=data.get("year"),
            level=data.get("level") or "",
        )
