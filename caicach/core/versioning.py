"""Stale-edit detection: an edit made from an out-of-date copy of a record is refused, never
silently written over somebody else's change. One message, one form field and one check for
every service.

An edit that names no copy at all (the hidden field emptied, dropped or garbled) is refused
the same way: "no version" must never mean "skip the check", or an empty POST overwrites
whatever is there. A form that also creates records drops its version field when it builds a
new one, and the service's create path calls no check."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_EDIT_MESSAGE = _(
    "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. "
    "Vui lòng tải lại trang để xem bản mới nhất rồi sửa lại."
)

# The hidden inputs that say which copy of a record a form was built from; the guard test
# finds every form carrying one of these names and requires a StaleEditField there.
VERSION_FIELD_NAMES = ("version", "fingerprint", "stamp")


def check_version(current: object, expected: object) -> None:
    """Raise unless ``expected`` (the version, timestamp or fingerprint the form was built
    from) is given and equals the record's ``current`` one."""
    if expected is None or expected == "" or current != expected:
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale")


def stale_or(form: forms.BaseForm, message: str) -> str:
    """What a small action form (a button with a hidden version) that failed tells the user:
    the stale-edit message when the copy marker is what failed, so they reload the page;
    otherwise ``message``."""
    if any(name in form.errors for name in VERSION_FIELD_NAMES):
        return str(STALE_EDIT_MESSAGE)
    return message


class StaleEditField(forms.Field):
    """A hidden, required copy marker whose every failure (missing, blank, garbled) reads as
    the stale-edit message, so the user is told to reload rather than shown a field error
    about an input they cannot see."""

    widget = forms.HiddenInput
    stale_messages = {"required": STALE_EDIT_MESSAGE, "invalid": STALE_EDIT_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs["required"] = True
        kwargs["widget"] = forms.HiddenInput
        kwargs["error_messages"] = {**self.stale_messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class VersionField(StaleEditField, forms.IntegerField):
    """The record's ``version`` counter (it starts at 1)."""

    stale_messages = {**StaleEditField.stale_messages, "min_value": STALE_EDIT_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class FingerprintField(StaleEditField, forms.CharField):
    """A digest of the editable values, for records without a version column."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 128)
        super().__init__(**kwargs)


class StampField(StaleEditField, forms.CharField):
    """The record's last-change timestamp, posted back in ISO 8601."""

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValidationError(STALE_EDIT_MESSAGE, code="invalid") from exc
