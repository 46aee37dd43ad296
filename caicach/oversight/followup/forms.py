"""Forms of the task pages. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once, spreadsheets
from caicach.core.choices import CachedModelChoiceField, keep_options
from caicach.core.forms import BoundedIntegerField, Form, VietnameseDateField
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.permissions import scope_key, subtree_ids
from caicach.core.units.forms import UnitChoiceField
from caicach.core.versioning import VersionField
from caicach.oversight.followup.queries import (
    assigners_in_view,
    committees_for_office,
    committees_in_view,
    lead_units_in_view,
)
from caicach.oversight.models import DeadlineKind, ResultKind, Task, TaskSource
from caicach.oversight.rules import LEADER_ROLES
from caicach.oversight.timeliness import Timeliness


class PersonChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        position = f" — {obj.position}" if obj.position else ""
        return f"{obj.full_name or obj.username}{position}"


class VersionedForm(Form):
    version = VersionField()

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version

    @property
    def submitted_version(self) -> int:
        version: int = self.cleaned_data["version"]
        return version


def _set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    field.queryset = queryset


class TaskForm(Form):
    """Assign a task (``creating``: a one-time token) or correct one (a version)."""

    version = VersionField(required=False)
    committee = UnitChoiceField(label=_("UBND giao nhiệm vụ"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Nguồn giao"), choices=TaskSource.choices)
    source_reference = forms.CharField(
        label=_("Số, ký hiệu văn bản"), max_length=64, required=False, help_text=_("Ví dụ: 125/TB-VP")
    )
    source_date = VietnameseDateField(label=_("Ngày văn bản, ngày chỉ đạo"), span=chronology.PAST)
    source_title = forms.CharField(label=_("Trích yếu văn bản"), max_length=500, required=False)
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    assigned_by = PersonChoiceField(label=_("Lãnh đạo giao"), queryset=User.objects.none())
    lead_unit = UnitChoiceField(label=_("Cơ quan chủ trì"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị; không chọn cơ quan chủ trì."),
    )
    deadline_kind = forms.ChoiceField(label=_("Cách tính thời hạn"), choices=DeadlineKind.choices)
    deadline = VietnameseDateField(label=_("Thời hạn (ngày cụ thể)"), span=chronology.PLANNED, required=False)
    deadline_working_days = BoundedIntegerField(
        label=_("Số ngày làm việc kể từ ngày văn bản"), min_value=1, max_value=365, required=False
    )
    expected_result_kind = forms.ChoiceField(label=_("Sản phẩm"), choices=ResultKind.choices)
    expected_result = forms.CharField(label=_("Sản phẩm cụ thể"), max_length=500, required=False)
    monitoring_officer = PersonChoiceField(
        label=_("Chuyên viên theo dõi"), queryset=User.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, task: Task | None = None, **kwargs: Any) -> None:
        if task is not None:
            kwargs.setdefault(
                "initial",
                {
                    "committee": task.committee_id,
                    "source": task.source,
                    "source_reference": task.source_reference,
                    "source_date": task.source_date,
                    "source_title": task.source_title,
                    "content": task.content,
                    "assigned_by": task.assigned_by_id,
                    "lead_unit": task.lead_unit_id,
                    "coordinating_units": [unit.pk for unit in task.coordinating_units.all()],
                    "expected_result_kind": task.expected_result_kind,
                    "expected_result": task.expected_result,
                    "monitoring_officer": task.monitoring_officer_id,
                    "notes": task.notes,
                    "version": task.version,
                },
            )
        super().__init__(*args, **kwargs)
        committees = committees_for_office(user)
        if task is None:
            once.creating(self)
        else:
            committees = committees.filter(pk=task.committee_id)
            # The committee and the deadline do not change here (the deadline moves only
            # through an extension).
            for name in ("committee", "deadline_kind", "deadline", "deadline_working_days"):
                del self.fields[name]
        if "committee" in self.fields:
            _set_queryset(self, "committee", committees)
        under = subtree_ids(list(committees.values_list("pk", flat=True)))
        units = (
            Unit.objects.active()
            .filter(pk__in=under)
            .exclude(pk__in=committees.values("pk"))
            .order_by("code")
        )
        _set_queryset(self, "lead_unit", units)
        _set_queryset(self, "coordinating_units", units)
        leaders = Membership.objects.filter(
            unit__in=committees.values("pk"), role__in=LEADER_ROLES, is_active=True
        ).values("user_id")
        _set_queryset(
            self, "assigned_by", User.objects.filter(pk__in=leaders, is_active=True).order_by("full_name")
        )
        officers = Membership.objects.filter(role=Role.OFFICE_OFFICER, is_active=True, unit__in=under).values(
            "user_id"
        )
        _set_queryset(
            self,
            "monitoring_officer",
            User.objects.filter(pk__in=officers, is_active=True).order_by("full_name"),
        )

    def service_data(self) -> dict[str, Any]:
        data = {
            name: value for name, value in self.cleaned_data.items() if name not in ("version", once.FIELD)
        }
        data["coordinating_units"] = list(data.get("coordinating_units") or [])
        return data


class TaskFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Nội dung, số văn bản…"), "type": "search"}),
    )
    committee = UnitChoiceField(
        label=_("UBND giao"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    lead_unit = UnitChoiceField(
        label=_("Cơ quan chủ trì"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    assigned_by = PersonChoiceField(
        label=_("Lãnh đạo giao"), queryset=User.objects.none(), required=False, empty_label=_("Tất cả")
    )
    source = forms.ChoiceField(
        label=_("Nguồn giao"), required=False, choices=[("", _("Tất cả")), *TaskSource.choices]
    )
    timeliness = forms.ChoiceField(
        label=_("Tình hình thực hiện"), required=False, choices=[("", _("Tất cả")), *Timeliness.choices]
    )
    year = BoundedIntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "committee", committees_in_view(user))
        _set_queryset(self, "lead_unit", lead_units_in_view(user))
        _set_queryset(self, "assigned_by", assigners_in_view(user))
        keep_options(self, scope_key(user))


class ProgressForm(VersionedForm):
    percent = BoundedIntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Kết quả thực hiện"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("Tệp đính kèm (nếu có)"), required=False)


class DoneForm(VersionedForm):
    done_on = VietnameseDateField(label=_("Ngày hoàn thành"), span=chronology.PAST)
    result_reference = forms.CharField(
        label=_("Văn bản, kết quả hoàn thành"),
        max_length=500,
        required=False,
        help_text=_("Số, ký hiệu văn bản kết quả; hoặc đính kèm tệp."),
    )
    file = forms.FileField(label=_("Tệp kết quả"), required=False)


class CancelForm(VersionedForm):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RepeatForm(VersionedForm):
    pass


class ExtensionRequestForm(VersionedForm):
    proposed_deadline = VietnameseDateField(label=_("Đề nghị gia hạn đến ngày"), span=chronology.PLANNED)
    reason = forms.CharField(
        label=_("Lý do xin gia hạn"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


APPROVE = "approve"
REFUSE = "refuse"


class ExtensionDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[(APPROVE, _("Đồng ý gia hạn")), (REFUSE, _("Không đồng ý"))],
        widget=forms.RadioSelect,
    )
    new_deadline = VietnameseDateField(
        label=_("Thời hạn mới"),
        span=chronology.PLANNED,
        required=False,
        help_text=_("Có thể khác ngày đơn vị đề nghị."),
    )
    note = forms.CharField(
        label=_("Ý kiến"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConclusionTasksForm(once.CreateFormMixin, Form):
    points = forms.ModelMultipleChoiceField(
        label=_("Nội dung kết luận"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    default_deadline = VietnameseDateField(
        label=_("Thời hạn chung"),
        span=chronology.PLANNED,
        required=False,
        help_text=_("Cho các nội dung kết luận chưa ghi thời hạn."),
    )

    def __init__(self, *args: Any, points: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "points", points)


class TaskImportForm(Form):
    committee = UnitChoiceField(label=_("UBND giao nhiệm vụ"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "committee", committees_for_office(user))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Vui lòng chọn tệp Excel có đuôi .xlsx."))
        # Refused here, before a job is started; the job checks it again.
        spreadsheets.check_workbook(upload, max_bytes=settings.WORKPROGRAM_IMPORT_MAX_BYTES)
        return upload
