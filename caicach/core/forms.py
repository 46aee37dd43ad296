"""Form plumbing every form in the product uses: NFC text and Vietnamese dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from caicach.core.text import normalise_input

VN_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class VietnameseDateInput(forms.DateInput):
    """A plain text box showing dd/mm/yyyy; a native date picker would show the browser's
    locale format, which confuses users on English systems."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class VietnameseDateField(forms.DateField):
    widget = VietnameseDateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026.")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", VN_DATE_FORMATS)
        super().__init__(**kwargs)


class NormalisedFormMixin:
    """Normalises every submitted string to NFC before validation, so a decomposed "ệ"
    from a Mac and a composed one from Windows are the same text in the database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            normalised: Any
            if isinstance(data, QueryDict):
                normalised = data.copy()
                for key, values in data.lists():
                    normalised.setlist(key, [normalise_input(v) for v in values])
            else:
                normalised = {k: normalise_input(v) for k, v in data.items()}
            if "data" in kwargs:
                kwargs["data"] = normalised
            else:
                args = (normalised, *args[1:])
        super().__init__(*args, **kwargs)


class Form(NormalisedFormMixin, forms.Form):
    pass


class ModelForm(NormalisedFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
