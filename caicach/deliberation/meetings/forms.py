"""Forms of meetings: they validate input; the services decide."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.choices import keep_options
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import Unit, User
from caicach.core.units.forms import UnitChoiceField
from caicach.deliberation.consultations.forms import VersionedForm
from caicach.deliberation.consultations.queries import committees_for_office, home_committee
from caicach.deliberation.meetings.queries import chairs_for_committees, chairs_of
from caicach.deliberation.models import AttendeeLevel, Consultation, Meeting, MeetingKind
from caicach.workprogram.models import ProgramItem


class ChairChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} — {obj.position}" if obj.position else obj.full_name


class MeetingFields(Form):
    SERVICE_FIELDS = ("kind", "title", "date", "starts_at", "place", "chair", "notes")

    kind = forms.ChoiceField(label=_("Loại phiên họp"), choices=MeetingKind.choices)
    date = VietnameseDateField(label=_("Ngày họp"), span=chronology.PLANNED)
    starts_at = forms.TimeField(
        label=_("Giờ bắt đầu"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    title = forms.CharField(
        label=_("Tên phiên họp"),
        max_length=300,
        required=False,
        help_text=_("Để trống: “Phiên họp UBND thường kỳ tháng 10/2026” theo loại và ngày họp."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    chair = ChairChoiceField(label=_("Chủ trì"), queryset=User.objects.none(), required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class MeetingForm(once.CreateFormMixin, MeetingFields):
    committee = UnitChoiceField(label=_("UBND"), queryset=Unit.objects.none())
    field_order = ("committee", "kind", "date", "starts_at", "title", "place", "chair", "notes")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = committees_for_office(user)
        committee = self.fields["committee"]
        assert isinstance(committee, UnitChoiceField)
        committee.queryset = committees
        if not self.is_bound:
            committee.initial = home_committee(user, committees)
        chair = self.fields["chair"]
        assert isinstance(chair, ChairChoiceField)
        chair.queryset = chairs_for_committees(committees)


class MeetingUpdateForm(VersionedForm, MeetingFields):
    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "kind": meeting.kind,
                "date": meeting.date,
                "starts_at": meeting.starts_at,
                "title": meeting.title,
                "place": meeting.place,
                "chair": meeting.chair_id,
                "notes": meeting.notes,
            },
        )
        super().__init__(*args, version=meeting.version, **kwargs)
        chair = self.fields["chair"]
        assert isinstance(chair, ChairChoiceField)
        chair.queryset = chairs_of(meeting.committee_id)


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do hủy"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HoldForm(VersionedForm):
    pass


class ProposalChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ProgramItem) -> str:
        return f"{obj.title} — {obj.lead_unit.short_name or obj.lead_unit.name}"


class ProposalForm(once.CreateFormMixin, Form):
    program_items = ProposalChoiceField(
        label=_("Nội dung chương trình công tác đến hạn trình trong tháng"),
        queryset=ProgramItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, proposals: QuerySet[ProgramItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["program_items"]
        assert isinstance(field, ProposalChoiceField)
        field.queryset = proposals
        field.initial = [item.pk for item in proposals]


class MatterForm(once.CreateFormMixin, Form):
    title = forms.CharField(label=_("Nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = UnitChoiceField(label=_("Cơ quan chủ trì"), queryset=Unit.objects.none())
    presenter = forms.CharField(label=_("Người trình bày"), max_length=200, required=False)
    is_legal_document = forms.BooleanField(label=_("Văn bản quy phạm pháp luật"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = units


class ConsultationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Consultation) -> str:
        return obj.title[:150]


class AgendaItemForm(VersionedForm):
    title = forms.CharField(label=_("Nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    presenter = forms.CharField(label=_("Người trình bày"), max_length=200, required=False)
    is_legal_document = forms.BooleanField(label=_("Văn bản quy phạm pháp luật"), required=False)
    consultation = ConsultationChoiceField(
        label=_("Lấy ý kiến thành viên UBND"), queryset=Consultation.objects.none(), required=False
    )

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "presenter": item.presenter,
                "is_legal_document": item.is_legal_document,
                "consultation": item.consultation_id,
            },
        )
        super().__init__(*args, version=item.version, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, ConsultationChoiceField)
        field.queryset = Consultation.objects.filter(committee_id=item.meeting.committee_id).order_by(
            "-created_at", "-pk"
        )

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in ("title", "presenter", "is_legal_document", "consultation")
        }


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class RemoveForm(VersionedForm):
    pass


class InviteesForm(Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được mời"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = units


ATTENDED_CHOICES = [("", _("Chưa ghi nhận")), ("yes", _("Có dự họp")), ("no", _("Vắng"))]
WRONG_LEVEL_CHOICES = [
    ("auto", _("Tự động (thấp hơn thành phần được mời)")),
    ("yes", _("Cử không đúng thành phần")),
    ("no", _("Đúng thành phần")),
]


class InviteeForm(VersionedForm):
    attended = forms.ChoiceField(label=_("Dự họp"), choices=ATTENDED_CHOICES, required=False)
    attendee_name = forms.CharField(label=_("Người dự họp"), max_length=150, required=False)
    attendee_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    attendee_level = forms.ChoiceField(
        label=_("Cấp người dự họp"), choices=[("", "—"), *AttendeeLevel.choices], required=False
    )
    wrong_level = forms.ChoiceField(label=_("Thành phần"), choices=WRONG_LEVEL_CHOICES, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "attended": {"yes": True, "no": False}.get(data["attended"]),
            "attendee_name": data["attendee_name"],
            "attendee_title": data["attendee_title"],
            "attendee_level": data["attendee_level"],
            "is_wrong_level": {"yes": True, "no": False}.get(data["wrong_level"]),
            "note": data["note"],
        }


class ListFilterForm(Form):
    committee = UnitChoiceField(label=_("UBND"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("", _("Tất cả")), *MeetingKind.choices], required=False
    )
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    month = BoundedIntegerField(label=_("Tháng"), min_value=1, max_value=12, required=False)

    def __init__(self, *args: Any, committees: QuerySet[Unit], options_key: Hashable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = committees
        # Every picker's options read as one kept value (``choices.keep_options``): ``options_key``
        # names what the querysets were built from (the user's scope).
        keep_options(self, options_key)


class StatsForm(Form):
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
