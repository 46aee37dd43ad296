"""Forms of the two-step login."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caicach.core.forms import Form


class CodeForm(Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("Mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "autocapitalize": "none"}
        ),
    )


class EnrolForm(Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trên ứng dụng"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
