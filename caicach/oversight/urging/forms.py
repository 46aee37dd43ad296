"""Forms of urging: the urging notice (tasks, text, recipients), the issue button and the
committee's follow-up settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import once
from caicach.core.forms import BoundedIntegerField, Form
from caicach.core.versioning import VersionField
from caicach.oversight.models import OversightSettings, Task


class TaskChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.content[:160]} — {obj.deadline:%d/%m/%Y}"


class NoticeForm(Form):
    tasks = TaskChoiceField(
        label=_("Nhiệm vụ quá hạn được đôn đốc"),
        queryset=Task.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vui lòng chọn ít nhất một nhiệm vụ quá hạn.")},
    )
    body = forms.CharField(
        label=_("Nội dung văn bản"), widget=forms.Textarea(attrs={"rows": 16}), max_length=20000
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Mỗi dòng một nơi nhận; để trống để dùng nơi nhận mặc định."),
    )
    version = VersionField()

    def __init__(self, *args: Any, tasks: QuerySet[Task], version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tasks"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = tasks
        if version is None:
            once.creating(self)
        else:
            self.fields["version"].initial = version


class VersionForm(forms.Form):
    version = VersionField()


class SettingsForm(Form):
    remind_before_working_days = BoundedIntegerField(
        label=_("Nhắc trước hạn (ngày làm việc)"),
        min_value=0,
        max_value=30,
        help_text=_("Mặc định: 3. Nhập 0 để chỉ nhắc vào ngày đến hạn."),
    )
    overdue_every_working_days = BoundedIntegerField(
        label=_("Đôn đốc nhiệm vụ quá hạn sau mỗi (ngày làm việc)"),
        min_value=1,
        max_value=60,
        help_text=_("Lần đầu vào ngày làm việc đầu tiên sau hạn. Mặc định: 5."),
    )
    due_soon_working_days = BoundedIntegerField(
        label=_("“Sắp đến hạn” trong vòng (ngày làm việc)"), min_value=1, max_value=60
    )
    repeated_overdue_after = BoundedIntegerField(
        label=_("“Chậm trễ nhiều lần” sau số lần đôn đốc"), min_value=1, max_value=20
    )
    version = VersionField()

    FIELDS = (
        "remind_before_working_days",
        "overdue_every_working_days",
        "due_soon_working_days",
        "repeated_overdue_after",
    )

    def __init__(self, *args: Any, current: OversightSettings, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(current, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = current.version
        if current.pk is None:
            # Defaults being edited: nothing to be stale against; a repeat of this POST finds
            # the row made and is refused as stale.
            del self.fields["version"]

    @property
    def settings_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
