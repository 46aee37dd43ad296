"""Reads of the security log: the system administrators' search (the caller checks
``core.search_security_log``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caicach.core.chronology import within_days
from caicach.core.models import SecurityEvent
from caicach.core.search import search as text_search


@dataclass(frozen=True)
class SecurityFilters:
    kind: str = ""
    user: str = ""
    ip_address: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def search(filters: SecurityFilters) -> QuerySet[SecurityEvent]:
    """Events matching every given filter, newest first."""
    events: QuerySet[SecurityEvent] = SecurityEvent.objects.select_related("user", "content_type").order_by(
        "-created_at", "-id"
    )
    if filters.kind:
        # "mfa." finds every MFA event, as the audit search does with its actions.
        kind = filters.kind
        events = events.filter(kind__startswith=kind) if kind.endswith(".") else events.filter(kind=kind)
    if filters.user:
        name = filters.user.strip()
        events = events.filter(
            Q(username__iexact=name) | Q(user__username__iexact=name) | Q(user__full_name__icontains=name)
        )
    if filters.ip_address:
        events = events.filter(ip_address=filters.ip_address)
    events = within_days(events, "created_at", filters.date_from, filters.date_to)
    if filters.text:
        # Names, objects and addresses visited, by the one search service (newest first kept).
        events = text_search(events, filters.text)
    return events


# The details each kind of event carries, as the administrator reads them: the keys are the
# code's, the page is Vietnamese.
DETAIL_LABELS: dict[str, Promise] = {
    "scope": _("Phạm vi"),
    "failures": _("Số lần sai"),
    "wait_seconds": _("Phải chờ (giây)"),
    "cleared": _("Số lần sai đã xóa"),
    "address": _("Địa chỉ IP"),
    "export": _("Dữ liệu xuất"),
    "job": _("Công việc nền số"),
    "query": _("Điều kiện lọc"),
    "action": _("Mã thao tác"),
    "throttled": _("Đang phải chờ do nhập sai nhiều lần"),
    "codes_left": _("Mã khôi phục còn lại"),
}
DETAIL_VALUES: dict[tuple[str, object], Promise] = {
    ("scope", "pair"): _("địa chỉ IP và tài khoản"),
    ("scope", "account"): _("tài khoản"),
    ("scope", "address"): _("địa chỉ IP"),
    ("export", "initiatives"): _("danh sách hồ sơ sáng kiến"),
    ("export", "campaign_zip"): _("toàn bộ hồ sơ của đợt phát động (ZIP)"),
    ("throttled", True): _("có"),
}


def detail_rows(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """An event's details as (label, value) lines; a key without a label is shown as stored
    (a new kind's detail is never hidden from the administrator)."""
    rows = []
    for key, value in detail.items():
        label = DETAIL_LABELS.get(key, key)
        shown = DETAIL_VALUES.get((key, value), value) if isinstance(value, str | bool) else value
        rows.append((str(label), str(shown)))
    return rows
