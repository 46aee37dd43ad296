"""Stale-edit detection: an edit made from an out-of-date copy of a record is refused, never
silently written over somebody else's change. One message and one check for every service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_EDIT_MESSAGE = _(
    "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. "
    "Vui lòng tải lại trang để xem bản mới nhất rồi sửa lại."
)


def check_version(current: object, expected: object) -> None:
    """Raise when the record's version (a counter, a timestamp, a fingerprint) moved since the
    form was built. ``expected`` None means the caller has no copy to compare (a new record)."""
    if expected is not None and current != expected:
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
