"""The monitoring pages' filters: every choice comes from what the user follows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from caicach.core.forms import Form
from caicach.core.models import ReformIndex, Unit, User
from caicach.replication.models import Directive
from caicach.replication.monitoring import queries
from caicach.replication.monitoring.queries import Filters


class MonitoringFilterForm(Form):
    van_ban = forms.ModelChoiceField(
        label=_("Văn bản chỉ đạo"), queryset=Directive.objects.none(), required=False
    )
    nhom = forms.ChoiceField(
        label=_("Nhóm đơn vị"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("departments", _("Các sở, ban, ngành tỉnh")),
            ("district_committees", _("UBND cấp huyện (cũ)")),
            ("commune_committees", _("UBND cấp xã")),
        ],
    )
    chi_so = forms.ModelChoiceField(label=_("Chỉ số"), queryset=ReformIndex.objects.none(), required=False)
    dia_ban = forms.ModelChoiceField(
        label=_("Địa bàn (huyện cũ)"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("van_ban", queries.directive_choices(user)),
            ("chi_so", queries.index_choices(user)),
            ("dia_ban", queries.area_choices(user)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = choices
            field.empty_label = str(_("Tất cả"))

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            directive=data["van_ban"], group=data["nhom"], index=data["chi_so"], area=data["dia_ban"]
        )
