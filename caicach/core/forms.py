"""Form plumbing every form in the product uses: NFC text, Vietnamese dates and decimal numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from caicach.core.chronology import DateSpan
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
    """The one date field of the product: dd/mm/yyyy, and the plausible span of its kind of
    date (``caicach.core.chronology``), which every field must name, so no form takes
    31/12/9999 or 01/01/0001."""

    widget = VietnameseDateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026.")
    }

    def __init__(self, *, span: DateSpan, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", VN_DATE_FORMATS)
        super().__init__(**kwargs)
        self.span = span

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = self.span.problem(value, what=str(self.label or _("Ngày")))
        if problem:
            raise forms.ValidationError(problem, code="out_of_span")


# The widest column the product stores a count in (PostgreSQL ``integer``); a number past
# it is refused by the form before the database overflows.
INTEGER_MAX = 2_147_483_647


class BoundedIntegerField(forms.IntegerField):
    """The one integer field of the product: the least and the greatest value are required
    (a number past the column's range raised a database error), and the refusals speak
    Vietnamese."""

    default_error_messages = {
        "invalid": _("Vui lòng nhập một số nguyên, ví dụ 12."),
        "min_value": _("Vui lòng nhập một số từ %(limit_value)s trở lên."),
        "max_value": _("Vui lòng nhập một số không quá %(limit_value)s."),
    }

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class VietnameseDecimalInput(forms.TextInput):
    """A text box for a decimal number. Not ``type="number"``: Chromium on an English system
    refuses "24,5" there (or submits it as 245 after dropping the comma), and shows its own
    English messages; here the server reads the number and says what is wrong in Vietnamese.
    ``inputmode`` still brings up the numeric keypad on a phone."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "decimal", "autocomplete": "off", "size": 8}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            # "24,5" in Vietnamese, "24.5" in English; no thousands separator, no trailing zeros.
            text = format(value.normalize() if value == value.to_integral() else value, "f")
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
        return super().format_value(value)


_THOUSANDS_WITH_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")


def parse_decimal_text(text: str) -> str:
    """ "24,5" and "24.5" are both 24.5 (a Vietnamese user types the comma, a copy from an
    English sheet brings the point); "1.234,5" is 1234.5. A dot is a thousands separator
    only next to a decimal comma, so "24.5" is never read as 245. Spaces (also the narrow
    no-break ones) are dropped."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in text and "." in text and _THOUSANDS_WITH_DOTS.match(text):
        text = text.replace(".", "")
    return text.replace(",", ".")


class VietnameseDecimalField(forms.DecimalField):
    """The one decimal field of the product (scores, shares, thresholds…): accepts the
    Vietnamese decimal comma, shows the number back with it, and speaks Vietnamese."""

    widget = VietnameseDecimalInput
    default_error_messages = {"invalid": _("Vui lòng nhập một số, ví dụ 24,5.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = parse_decimal_text(value)
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # The min/max/step attributes Django adds are for type="number"; the server checks.
        attrs = super().widget_attrs(widget)
        return {key: val for key, val in attrs.items() if key not in ("min", "max", "step")}


def formfield_for(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """ModelForm fields as the product wants them: every decimal column gets
    VietnameseDecimalField, every integer column a BoundedIntegerField within the range its
    validators allow (a ModelForm field without one fails the guard test)."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", VietnameseDecimalField)
    elif isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
        lows = [v.limit_value for v in db_field.validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in db_field.validators if isinstance(v, MaxValueValidator)]
        if lows and highs:
            kwargs.setdefault("form_class", BoundedIntegerField)
            kwargs.setdefault("min_value", max(lows))
            kwargs.setdefault("max_value", min(highs))
    return db_field.formfield(**kwargs)


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
    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Django reads formfield_callback from the subclass's own Meta only, and this runs
        # before ModelFormMetaclass builds the fields: every ModelForm of the product gets
        # the product's fields without each Meta having to say so.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = formfield_for
        super().__init_subclass__(**kwargs)


def refuse_reversed_range(form: forms.Form, cleaned: dict[str, Any], first: str, last: str) -> None:
    """A filter's "to" day before its "from" day is said on the "to" field."""
    start, end = cleaned.get(first), cleaned.get(last)
    if start and end and end < start:
        form.add_error(last, _("“Đến ngày” không được trước “Từ ngày”."))
