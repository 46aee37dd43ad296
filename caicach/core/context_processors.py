"""Role-based navigation. What a user sees in the menu comes from the permission module
(``can(user, "<global action>")``), never from role checks in templates. Items whose page
does not exist yet (another area not merged) are skipped, so they appear once it lands.

Domain apps add their entries with ``add_nav_item`` from ``AppConfig.ready()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caicach.core.notifications.queries import unread_count
from caicach.core.permissions import can


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    description: str | Promise
    action: str | None  # a global permission; None = any signed-in user


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    description: str | Promise
    url: str
    active: bool
    count: int | None = None


MENU: list[MenuEntry] = [
    MenuEntry("home", _("Trang chủ"), _("Tổng quan công việc của bạn"), None),
    MenuEntry("inbox", _("Thông báo"), _("Thông báo và nhắc việc gửi đến bạn"), "core.view_inbox"),
    MenuEntry("unit_list", _("Đơn vị"), _("Sơ đồ tổ chức, các cơ quan, đơn vị"), "core.view_units"),
    MenuEntry(
        "calendar", _("Lịch làm việc"), _("Ngày làm việc, ngày nghỉ lễ, ngày làm bù"), "core.view_calendar"
    ),
    MenuEntry("document_register", _("Sổ văn bản"), _("Sổ đăng ký văn bản đã cấp số"), "core.view_register"),
    MenuEntry(
        "user_list", _("Người dùng"), _("Tài khoản, vai trò của cán bộ, công chức"), "core.manage_users"
    ),
    MenuEntry("audit_search", _("Nhật ký"), _("Tra cứu nhật ký thay đổi"), "core.search_audit"),
    MenuEntry(
        "security_log",
        _("Nhật ký an ninh"),
        _("Đăng nhập sai, truy cập bị từ chối, xuất dữ liệu cá nhân"),
        "core.search_security_log",
    ),
]


def add_nav_item(
    url_name: str,
    label: str | Promise,
    description: str | Promise,
    action: str | None,
    *,
    before: str | None = None,
) -> None:
    """Add a menu entry (idempotent), optionally before an existing one."""
    if any(entry.url_name == url_name for entry in MENU):
        return
    entry = MenuEntry(url_name, label, description, action)
    positions = [i for i, existing in enumerate(MENU) if existing.url_name == before]
    if positions:
        MENU.insert(positions[0], entry)
    else:
        MENU.append(entry)


def nav_items(request: HttpRequest) -> list[NavItem]:
    """The menu for this request's user, computed once per request (the permission lookup is
    one cached query, the unread count one more)."""
    cached: list[NavItem] | None = getattr(request, "_caicach_nav", None)
    if cached is not None:
        return cached
    user = request.user
    items: list[NavItem] = []
    if user.is_authenticated and user.is_active:
        for entry in MENU:
            if entry.action is not None and not can(user, entry.action):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            active = request.path == url if url == "/" else request.path.startswith(url)
            count = None
            if entry.url_name == "inbox":
                count = unread_count(user)
            items.append(NavItem(entry.url_name, entry.label, entry.description, url, active, count))
    request._caicach_nav = items  # type: ignore[attr-defined]
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = nav_items(request)
    unread = next((item.count for item in items if item.key == "inbox"), None)
    return {"nav_items": items, "nav_unread": unread}
