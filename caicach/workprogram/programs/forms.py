"""Forms of the work program pages. They validate input; the services write."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once, spreadsheets
from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import Unit, User
from caicach.core.months import month_label
from caicach.core.once import CreateFormMixin
from caicach.core.permissions import acting_unit_ids
from caicach.core.text import fold
from caicach.core.units.forms import UnitChoiceField
from caicach.core.versioning import VersionField
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    SubmissionKind,
    WorkProgram,
)
from caicach.workprogram.programs.queries import (
    OVERDUE,
    committees_for_office,
    jurisdiction_units,
    leaders_of,
    office_officers_of,
)

_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$")


class MonthInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 8}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return f"{value.month:02d}/{value.year}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month typed as "03/2024" (or "3/2024", "Tháng 3/2024"): its first day, within the
    product's era (``chronology.RECORDED``: "12/9999" is a slip; "01/0000" is no date)."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Tháng không hợp lệ. Vui lòng nhập theo dạng tháng/năm, ví dụ 03/2024.")
    }
    span = chronology.RECORDED

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        match = _MONTH.match(fold(str(value)))
        if not match or not 1 <= int(match.group(1)) <= 12 or int(match.group(2)) < datetime.MINYEAR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match.group(2)), int(match.group(1)), 1)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        # The whole month counts: a month is within the span when one of its days is.
        start, end = self.span.bounds()
        if not start.replace(day=1) <= value <= end:
            raise forms.ValidationError(
                _("%(what)s phải từ tháng %(start)s đến tháng %(end)s.")
                % {"what": self.label or _("Tháng"), "start": f"{start:%m/%Y}", "end": f"{end:%m/%Y}"},
                code="out_of_span",
            )


class PersonChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        position = f" — {obj.position}" if obj.position else ""
        return f"{obj.full_name or obj.username}{position}"


class VersionedForm(Form):
    """``version`` travels with the form so an edit made from a stale page is refused; a form
    building a new record (``creating``) has a one-time token instead."""

    version = VersionField()

    def __init__(self, *args: Any, version: int | None = None, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            once.creating(self)
        else:
            self.fields["version"].initial = version

    @property
    def submitted_version(self) -> int:
        version: int = self.cleaned_data["version"]
        return version


# --- Programs -------------------------------------------------------------------------------------


class ProgramForm(VersionedForm):
    issuing_unit = UnitChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên chương trình"), max_length=500)
    decision_number = forms.CharField(
        label=_("Số quyết định ban hành"), max_length=64, required=False, help_text=_("Ví dụ: 3125/QĐ-UBND")
    )
    decision_date = VietnameseDateField(label=_("Ngày quyết định"), required=False, span=chronology.ISSUED)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, program: WorkProgram | None = None, **kwargs: Any) -> None:
        if program is not None:
            kwargs.setdefault(
                "initial",
                {
                    "issuing_unit": program.issuing_unit_id,
                    "year": program.year,
                    "title": program.title,
                    "decision_number": program.decision_number,
                    "decision_date": program.decision_date,
                    "notes": program.notes,
                },
            )
        super().__init__(
            *args, version=program.version if program else None, creating=program is None, **kwargs
        )
        field = self.fields["issuing_unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = committees_for_office(user)

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("issuing_unit", "year", "title", "decision_number", "decision_date", "notes")
        }


class ProgramImportForm(Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Vui lòng chọn tệp Excel có đuôi .xlsx."))
        # Refused here, on the form, before a job is started; the job checks it again.
        spreadsheets.check_workbook(upload, max_bytes=settings.WORKPROGRAM_IMPORT_MAX_BYTES)
        return upload


# --- Items ----------------------------------------------------------------------------------------


class ItemForm(VersionedForm):
    position = BoundedIntegerField(
        label=_("Số thứ tự"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=_("Để trống để đánh số tiếp theo."),
    )
    title = forms.CharField(label=_("Nội dung, đề án"), widget=forms.Textarea(attrs={"rows": 3}))
    submission_kind = forms.ChoiceField(label=_("Hình thức trình"), choices=SubmissionKind.choices)
    is_legal_document = forms.BooleanField(label=_("Là văn bản quy phạm pháp luật"), required=False)
    lead_unit = UnitChoiceField(label=_("Cơ quan chủ trì"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị."),
    )
    supervising_leader = PersonChoiceField(
        label=_("Lãnh đạo phụ trách"), queryset=User.objects.none(), required=False
    )
    monitoring_officer = PersonChoiceField(
        label=_("Chuyên viên theo dõi"), queryset=User.objects.none(), required=False
    )
    due_month = MonthField(label=_("Thời gian trình (tháng/năm)"))
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, program: WorkProgram, item: ProgramItem | None = None, **kwargs: Any
    ) -> None:
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "position": item.position,
                    "title": item.title,
                    "submission_kind": item.submission_kind,
                    "is_legal_document": item.is_legal_document,
                    "lead_unit": item.lead_unit_id,
                    "coordinating_units": [unit.pk for unit in item.coordinating_units.all()],
                    "supervising_leader": item.supervising_leader_id,
                    "monitoring_officer": item.monitoring_officer_id,
                    "notes": item.notes,
                },
            )
        super().__init__(*args, version=item.version if item else None, creating=item is None, **kwargs)
        units = jurisdiction_units(program)
        self._set_queryset("lead_unit", units)
        self._set_queryset("coordinating_units", units)
        self._set_queryset("supervising_leader", leaders_of(program))
        self._set_queryset("monitoring_officer", office_officers_of(program))
        if item is not None:
            # The due month moves only through an approved adjustment request.
            del self.fields["due_month"]

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
        field.queryset = queryset

    def service_data(self) -> dict[str, Any]:
        names = [
            "position",
            "title",
            "submission_kind",
            "is_legal_document",
            "lead_unit",
            "coordinating_units",
            "supervising_leader",
            "monitoring_officer",
            "notes",
        ]
        if "due_month" in self.fields:
            names.append("due_month")
        data = {name: self.cleaned_data[name] for name in names}
        data["coordinating_units"] = list(data["coordinating_units"])
        return data


class ItemFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Nội dung, đề án…"), "type": "search"}),
    )
    lead_unit = UnitChoiceField(
        label=_("Cơ quan chủ trì"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả")), *ItemStatus.choices, (OVERDUE, _("Quá hạn chưa trình"))],
    )
    month = forms.TypedChoiceField(label=_("Tháng trình"), required=False, coerce=int, empty_value=None)
    submission_kind = forms.ChoiceField(
        label=_("Hình thức trình"), required=False, choices=[("", _("Tất cả")), *SubmissionKind.choices]
    )
    supervising_leader = PersonChoiceField(
        label=_("Lãnh đạo phụ trách"), queryset=User.objects.none(), required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args: Any, program: WorkProgram, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_unit"]
        assert isinstance(lead, UnitChoiceField)
        lead.queryset = Unit.objects.filter(pk__in=program.items.values("lead_unit_id")).order_by("code")
        leader = self.fields["supervising_leader"]
        assert isinstance(leader, PersonChoiceField)
        leader.queryset = User.objects.filter(pk__in=program.items.values("supervising_leader_id")).order_by(
            "full_name"
        )
        month = self.fields["month"]
        assert isinstance(month, forms.TypedChoiceField)
        month.choices = [
            ("", _("Tất cả")),
            *[(m, month_label(datetime.date(program.year, m, 1))) for m in range(1, 13)],
        ]
        self.program = program
        keep_options(self, program.pk)

    def month_date(self) -> datetime.date | None:
        month = self.cleaned_data.get("month")
        return datetime.date(self.program.year, month, 1) if month else None


class ItemSubmitForm(VersionedForm):
    submitted_on = VietnameseDateField(label=_("Ngày trình"), span=chronology.ISSUED)
    reference = forms.CharField(
        label=_("Số, ký hiệu văn bản trình"), max_length=64, help_text=_("Ví dụ: 45/TTr-SNV")
    )


class ItemIssueForm(VersionedForm):
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), span=chronology.ISSUED)
    reference = forms.CharField(
        label=_("Số, ký hiệu văn bản ban hành"), max_length=64, help_text=_("Ví dụ: 25/2024/QĐ-UBND")
    )


# --- Adjustment requests --------------------------------------------------------------------------


class ReasonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    widget = forms.RadioSelect

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _reason_field() -> ReasonField:
    return ReasonField(
        label=_("Lý do điều chỉnh (theo quy định)"),
        queryset=AdjustmentReason.objects.filter(is_active=True),
        empty_label=None,
    )


def _justification_fields() -> dict[str, forms.Field]:
    return {
        "explanation": forms.CharField(label=_("Giải trình lý do"), widget=forms.Textarea(attrs={"rows": 4})),
        "necessity": forms.CharField(label=_("Sự cần thiết"), widget=forms.Textarea(attrs={"rows": 4})),
        "impact": forms.CharField(
            label=_("Tác động đến công tác chỉ đạo, điều hành"), widget=forms.Textarea(attrs={"rows": 4})
        ),
    }


class AdjustmentRequestForm(CreateFormMixin, Form):
    """A lead unit asks to change, postpone or withdraw one item."""

    kind = forms.ChoiceField(
        label=_("Đề nghị"),
        widget=forms.RadioSelect,
        choices=[
            (k.value, k.label)
            for k in (AdjustmentKind.POSTPONE, AdjustmentKind.CHANGE, AdjustmentKind.WITHDRAW)
        ],
    )
    proposed_month = MonthField(
        label=_("Thời gian trình đề nghị (tháng/năm)"),
        required=False,
        help_text=_("Bắt buộc khi lùi thời gian trình; phải sau thời gian trình hiện tại."),
    )
    proposed_title = forms.CharField(
        label=_("Nội dung đề nghị điều chỉnh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chỉ khi đề nghị điều chỉnh nội dung."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field()
        self.fields.update(_justification_fields())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == AdjustmentKind.POSTPONE and not cleaned.get("proposed_month"):
            self.add_error("proposed_month", _("Vui lòng nhập thời gian trình đề nghị (tháng/năm)."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "kind",
                "reason",
                "explanation",
                "necessity",
                "impact",
                "proposed_month",
                "proposed_title",
            )
        }
        if data["kind"] == AdjustmentKind.WITHDRAW:
            data["proposed_month"], data["proposed_title"] = None, ""
        elif data["kind"] == AdjustmentKind.POSTPONE:
            data["proposed_title"] = ""
        return data


class AdditionRequestForm(CreateFormMixin, Form):
    """A unit asks for a new item to be added to the program, led by itself."""

    lead_unit = UnitChoiceField(label=_("Đơn vị đề nghị (chủ trì)"), queryset=Unit.objects.none())
    proposed_title = forms.CharField(
        label=_("Nội dung, đề án đề nghị bổ sung"), widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_kind = forms.ChoiceField(label=_("Hình thức trình"), choices=SubmissionKind.choices)
    is_legal_document = forms.BooleanField(label=_("Là văn bản quy phạm pháp luật"), required=False)
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    leader = PersonChoiceField(label=_("Lãnh đạo phụ trách"), queryset=User.objects.none())
    proposed_month = MonthField(label=_("Thời gian trình đề nghị (tháng/năm)"))

    def __init__(self, *args: Any, program: WorkProgram, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = jurisdiction_units(program)
        acting = acting_unit_ids(user)
        own = units if acting is None else units.filter(pk__in=acting)
        lead = self.fields["lead_unit"]
        assert isinstance(lead, UnitChoiceField)
        lead.queryset = own
        coordinating = self.fields["coordinating_units"]
        assert isinstance(coordinating, forms.ModelMultipleChoiceField)
        coordinating.queryset = units
        leader = self.fields["leader"]
        assert isinstance(leader, PersonChoiceField)
        leader.queryset = leaders_of(program)
        self.fields["reason"] = _reason_field()
        self.fields.update(_justification_fields())

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "kind": AdjustmentKind.ADD,
            "lead_unit": cleaned["lead_unit"],
            "proposed_title": cleaned["proposed_title"],
            "proposed_month": cleaned["proposed_month"],
            "leader": cleaned["leader"],
            "reason": cleaned["reason"],
            "explanation": cleaned["explanation"],
            "necessity": cleaned["necessity"],
            "impact": cleaned["impact"],
            "proposed_data": {
                "submission_kind": cleaned["submission_kind"],
                "is_legal_document": cleaned["is_legal_document"],
                "coordinating_units": [unit.pk for unit in cleaned["coordinating_units"]],
            },
        }


APPROVE, REJECT = "approve", "reject"


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Chấp thuận")), (REJECT, _("Không chấp thuận"))],
    )
    note = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi không chấp thuận."),
    )

    def __init__(self, *args: Any, request_obj: AdjustmentRequest, **kwargs: Any) -> None:
        super().__init__(*args, version=request_obj.version, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == REJECT and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Vui lòng ghi rõ lý do không chấp thuận."))
        return cleaned


class HeadApprovalForm(VersionedForm):
    """The unit head approves the staff's draft (the Tờ trình takes its number)."""

    def __init__(self, *args: Any, request_obj: AdjustmentRequest, **kwargs: Any) -> None:
        super().__init__(*args, version=request_obj.version, **kwargs)


class HeadReturnForm(VersionedForm):
    """The unit head sends the draft back, saying what to rework."""

    note = forms.CharField(
        label=_("Nội dung cần sửa"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi rõ nội dung cần sửa.")},
    )

    def __init__(self, *args: Any, request_obj: AdjustmentRequest, **kwargs: Any) -> None:
        super().__init__(*args, version=request_obj.version, **kwargs)


REVISED_FIELDS = ("reason", "explanation", "necessity", "impact", "proposed_month", "proposed_title")


class RevisionForm(VersionedForm):
    """A returned draft reworked by its author; what it asks for (the kind, the item) stays."""

    proposed_month = MonthField(label=_("Thời gian trình đề nghị (tháng/năm)"), required=False)
    proposed_title = forms.CharField(
        label=_("Nội dung đề nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, request_obj: AdjustmentRequest, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {name: getattr(request_obj, name) for name in REVISED_FIELDS},
        )
        super().__init__(*args, version=request_obj.version, **kwargs)
        self.fields["reason"] = _reason_field()
        self.fields.update(_justification_fields())
        if request_obj.kind == AdjustmentKind.WITHDRAW:
            del self.fields["proposed_month"], self.fields["proposed_title"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REVISED_FIELDS if name in self.fields}


# --- Settings and reasons -------------------------------------------------------------------------------


class ProgramSettingsForm(VersionedForm):
    report_day = BoundedIntegerField(
        label=_("Hạn gửi báo cáo tháng: trước ngày"),
        min_value=2,
        max_value=28,
        help_text=_("Theo quy định: trước ngày 15 hằng tháng."),
    )
    report_reminder_working_days = BoundedIntegerField(
        label=_("Nhắc gửi báo cáo trước hạn (ngày làm việc)"), min_value=0, max_value=10
    )
    overdue_grace_days = BoundedIntegerField(
        label=_("Số ngày ân hạn trước khi tính quá hạn"),
        min_value=0,
        max_value=60,
        help_text=_("Nội dung chưa trình sau ngày cuối của tháng trình cộng số ngày này là quá hạn."),
    )

    def __init__(self, *args: Any, current: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "report_day": current.report_day,
                "report_reminder_working_days": current.report_reminder_working_days,
                "overdue_grace_days": current.overdue_grace_days,
            },
        )
        super().__init__(*args, version=current.version, **kwargs)
        if current.pk is None:
            # A committee without a row of its own edits the defaults: nothing to be stale
            # against; a repeat of this POST finds the row made and is refused as stale.
            del self.fields["version"]

    @property
    def settings_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("report_day", "report_reminder_working_days", "overdue_grace_days")
        }


class ReasonForm(Form):
    code = forms.SlugField(
        label=_("Mã"), max_length=32, help_text=_("Chữ không dấu, số, gạch dưới; không đổi được sau khi tạo.")
    )
    label = forms.CharField(label=_("Lý do"), max_length=255)
    position = BoundedIntegerField(label=_("Thứ tự"), min_value=0, max_value=999, required=False)
    is_active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)

    def __init__(self, *args: Any, reason: AdjustmentReason | None = None, **kwargs: Any) -> None:
        if reason is not None:
            kwargs.setdefault(
                "initial", {"label": reason.label, "position": reason.position, "is_active": reason.is_active}
            )
        super().__init__(*args, **kwargs)
        if reason is None:
            once.creating(self)
        else:
            del self.fields["code"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
