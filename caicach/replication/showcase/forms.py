"""The showcase's search and filter form (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core.forms import BoundedIntegerField, Form


class ShowcaseFilterForm(Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    field = forms.TypedChoiceField(label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None)
    index = forms.TypedChoiceField(label=_("Chỉ số"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    year = BoundedIntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        for name, key in (("field", "fields"), ("index", "indices"), ("unit", "units")):
            self.fields[name].choices = everything + [(pk, label) for pk, label in choices[key]]  # type: ignore[attr-defined]
