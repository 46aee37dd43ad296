"""Forms of members' opinions: they validate input; the services decide."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caicach.core import once
from caicach.core.choices import keep_options
from caicach.core.forms import BoundedIntegerField, Form
from caicach.core.models import Membership, Unit, User
from caicach.core.permissions import jurisdiction_subtree, principal
from caicach.core.units.forms import UnitChoiceField
from caicach.core.versioning import VersionField
from caicach.deliberation.consultations.queries import committees_for_office, members_q
from caicach.deliberation.models import (
    Answer,
    DeliberationSettings,
    DraftKind,
    FileRole,
    PassRule,
    ResponseKind,
)
from caicach.workprogram.models import ItemStatus, ProgramItem
from caicach.workprogram.programs.rules import items_for


class VersionedForm(Form):
    version = VersionField()

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version

    @property
    def submitted_version(self) -> int:
        version: int = self.cleaned_data["version"]
        return version


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} — {obj.position}" if obj.position else obj.full_name


class ProgramItemChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ProgramItem) -> str:
        return f"{obj.program.year} · {obj.title[:120]}"


class ConsultationForm(once.CreateFormMixin, Form):
    committee = UnitChoiceField(label=_("UBND"), queryset=Unit.objects.none())
    lead_unit = UnitChoiceField(label=_("Cơ quan chủ trì soạn thảo"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại dự thảo"), choices=DraftKind.choices)
    title = forms.CharField(label=_("Tên dự thảo"), max_length=500)
    program_item = ProgramItemChoiceField(
        label=_("Nội dung chương trình công tác (nếu có)"),
        queryset=ProgramItem.objects.none(),
        required=False,
    )
    is_secret = forms.BooleanField(
        label=_(
            "Nội dung mật (cho ý kiến bằng phiếu giấy, Văn phòng nhập ý kiến, không đưa tệp lên hệ thống)"
        ),
        required=False,
    )
    members = MemberChoiceField(
        label=_("Thành viên được lấy ý kiến"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: gửi tất cả thành viên UBND."),
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = committees_for_office(user)
        committee_field = self.fields["committee"]
        assert isinstance(committee_field, UnitChoiceField)
        committee_field.queryset = committees
        who = principal(user)
        lead = self.fields["lead_unit"]
        assert isinstance(lead, UnitChoiceField)
        units = Unit.objects.active().order_by("code")
        if who is not None and not who.is_admin:
            units = units.filter(pk__in=jurisdiction_subtree(who.unit_ids))
        lead.queryset = units
        item_field = self.fields["program_item"]
        assert isinstance(item_field, ProgramItemChoiceField)
        item_field.queryset = (
            items_for(user)
            .filter(
                status__in=[ItemStatus.PLANNED, ItemStatus.SUBMITTED], program__issuing_unit__in=committees
            )
            .select_related("program")
            .order_by("-program__year", "position", "pk")
        )
        members = self.fields["members"]
        assert isinstance(members, MemberChoiceField)
        seats = Q(pk__in=[])
        for committee_id in committees.values_list("pk", flat=True):
            seats |= members_q(committee_id)
        held = Membership.objects.filter(seats, is_active=True).values("user_id")
        members.queryset = User.objects.filter(Q(pk__in=held), is_active=True).order_by("full_name", "pk")


class FileForm(once.CreateFormMixin, Form):
    """A file attached to a draft: a create form, so a double click attaches it once."""

    role = forms.ChoiceField(label=_("Loại tệp"), choices=FileRole.choices)
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word (DOCX), Excel (XLSX), ảnh PNG hoặc JPEG."))


class SendForm(VersionedForm):
    pass


class CloseForm(VersionedForm):
    pass


class OpinionForm(VersionedForm):
    answer = forms.ChoiceField(label=_("Ý kiến"), choices=Answer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Nội dung ý kiến"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bắt buộc khi “Đồng ý có ý kiến” hoặc “Không đồng ý”."),
    )


class ResponseForm(VersionedForm):
    """``version``: the recorded response's, or 0 before there is one."""

    version = VersionField(min_value=0)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Nội dung tiếp thu, giải trình"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


PERIOD_CHOICES = [
    ("year", _("Cả năm")),
    *[(f"q{q}", _("Quý %(q)s") % {"q": q}) for q in range(1, 5)],
    *[(f"m{m}", _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)],
]


class PunctualityForm(Form):
    committee = UnitChoiceField(label=_("UBND"), queryset=Unit.objects.none(), required=False)
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_CHOICES, required=False)

    def __init__(self, *args: Any, committees: Any, options_key: Hashable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = committees
        # Every picker's options read as one kept value (``choices.keep_options``): ``options_key``
        # names what the querysets were built from (the user's scope).
        keep_options(self, options_key)


class SettingsForm(VersionedForm):
    reply_working_days = BoundedIntegerField(
        label=_("Thời hạn cho ý kiến (ngày làm việc kể từ ngày gửi)"),
        min_value=1,
        max_value=30,
        help_text=_("Mặc định: 3 ngày làm việc."),
    )
    reminder_working_days = BoundedIntegerField(
        label=_("Nhắc thành viên chưa cho ý kiến trước hạn (ngày làm việc)"),
        min_value=0,
        max_value=10,
        help_text=_("Ngoài ra, nhắc lần nữa vào ngày hết hạn."),
    )
    pass_rule = forms.ChoiceField(label=_("Nguyên tắc biểu quyết"), choices=PassRule.choices)
    comments_count_in_favour = forms.BooleanField(
        label=_("“Đồng ý có ý kiến” được tính là đồng ý"), required=False
    )
    tie_follows_chairman = forms.BooleanField(
        label=_("Khi số ý kiến ngang nhau, theo ý kiến của Chủ tịch"), required=False
    )

    # Meetings (seed 001): the deadlines of the agenda items' dossiers.
    consult_by_day = BoundedIntegerField(
        label=_("Cơ quan chủ trì xin ý kiến Chủ tịch, Phó Chủ tịch chậm nhất ngày (của tháng họp)"),
        min_value=1,
        max_value=28,
        help_text=_("Mặc định: ngày 10."),
    )
    committee_dossier_working_days = BoundedIntegerField(
        label=_("Hồ sơ phiên họp UBND, phiên làm việc của lãnh đạo gửi Văn phòng trước (ngày làm việc)"),
        min_value=1,
        max_value=20,
        help_text=_("Mặc định: 3 ngày làm việc."),
    )
    party_dossier_working_days = BoundedIntegerField(
        label=_("Hồ sơ họp Ban cán sự đảng gửi Văn phòng trước (ngày làm việc)"),
        min_value=1,
        max_value=20,
        help_text=_("Mặc định: 2 ngày làm việc."),
    )

    FIELDS = (
        "reply_working_days",
        "reminder_working_days",
        "pass_rule",
        "comments_count_in_favour",
        "tie_follows_chairman",
        "consult_by_day",
        "committee_dossier_working_days",
        "party_dossier_working_days",
    )

    def __init__(self, *args: Any, current: DeliberationSettings, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(current, name) for name in self.FIELDS})
        super().__init__(*args, version=current.version, **kwargs)
        if current.pk is None:
            # A committee without a row of its own edits the defaults: nothing to be stale
            # against; a repeat of this POST finds the row made and is refused as stale.
            del self.fields["version"]

    @property
    def settings_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
