"""Forms of the document register."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core.choices import keep_options
from caicach.core.forms import Form
from caicach.core.models import DocumentType, Unit
from caicach.core.units.forms import UnitChoiceField


class RegisterFilterForm(Form):
    unit = UnitChoiceField(
        label=_("Cơ quan ban hành"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    document_type = forms.ChoiceField(
        label=_("Loại văn bản"), choices=[("", _("Tất cả")), *DocumentType.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], years: list[int], options_key: Hashable, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("Tất cả")), *((y, str(y)) for y in years)]
        # Every picker's options read as one kept value (``choices.keep_options``): ``options_key``
        # names what the querysets were built from (the user's scope).
        keep_options(self, options_key)
