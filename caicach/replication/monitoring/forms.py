"""The monitoring pages' filters: every choice comes from what the user follows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import ReformIndex, Unit, User
from caicach.core.permissions import scope_key
from caicach.core.versioning import VersionField
from caicach.replication.models import Directive, ReportingCycle
from caicach.replication.monitoring import queries
from caicach.replication.monitoring.queries import Filters

TEXT_MAX = 20000


class MonitoringFilterForm(Form):
    van_ban = CachedModelChoiceField(
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
    chi_so = CachedModelChoiceField(label=_("Chỉ số"), queryset=ReformIndex.objects.none(), required=False)
    dia_ban = CachedModelChoiceField(
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
        keep_options(self, scope_key(user))

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            directive=data["van_ban"], group=data["nhom"], index=data["chi_so"], area=data["dia_ban"]
        )


class SummaryForm(Form):
    """Home Affairs' own parts of the periodic summary; the figures come from the reports."""

    period_start = VietnameseDateField(label=_("Từ ngày"), span=chronology.RECORDED)
    period_end = VietnameseDateField(label=_("Đến ngày"), span=chronology.RECORDED)
    directive = forms.ModelChoiceField(
        label=_("Văn bản chỉ đạo (để trống: tất cả)"), queryset=Directive.objects.none(), required=False
    )
    assessment = forms.CharField(
        label=_("Đánh giá chung"), widget=forms.Textarea, required=False, max_length=20000
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), widget=forms.Textarea, required=False, max_length=20000
    )
    signer_authority = forms.CharField(label=_("Thẩm quyền ký (KT., TL.…)"), required=False, max_length=100)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=150)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi, dòng cuối “Lưu: VT, …”)"), widget=forms.Textarea, max_length=2000
    )
    version = VersionField()

    def __init__(self, *args: Any, user: User | AnonymousUser, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        directive = self.fields["directive"]
        assert isinstance(directive, forms.ModelChoiceField)
        directive.queryset = queries.directive_choices(user)
        directive.empty_label = str(_("Tất cả"))
        self.fields["version"].required = not creating

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class SummaryIssueForm(Form):
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), span=chronology.ISSUED)
    version = VersionField()


class SettingsForm(Form):
    default_cycle = forms.ChoiceField(label=_("Kỳ báo cáo mặc định"), choices=ReportingCycle.choices)
    report_due_working_days = BoundedIntegerField(
        label=_("Hạn báo cáo sau khi hết kỳ (ngày làm việc)"), min_value=0, max_value=60
    )
    reminder_working_days = BoundedIntegerField(
        label=_("Nhắc báo cáo trước hạn (ngày làm việc)"), min_value=0, max_value=20
    )
    laggard_not_started_months = BoundedIntegerField(
        label=_("Số tháng chưa triển khai thì bị coi là chậm"), min_value=1, max_value=36
    )
    version = VersionField()
