"""Reads for accounts: the user directory, a person's memberships and trail."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from caicach.core import search as fulltext
from caicach.core.audit.queries import (
    register_action_labels,
    register_change_labels,
    register_object_url,
    timeline_for,
)
from caicach.core.models import AuditEvent, Membership, Role, User

# The fields a person's own profile and the admin's edit form may change; the fingerprint of
# their values stands in for the ``version`` column User does not have.
PROFILE_FIELDS = ("full_name", "date_of_birth", "position", "qualification", "phone", "email")
ADMIN_FIELDS = (*PROFILE_FIELDS, "unit")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def user_fingerprint(user: User) -> str:
    """A digest of the editable fields: posted back by edit forms so a save over someone
    else's newer edit is refused instead of silently overwriting it."""
    parts = [repr(getattr(user, "unit_id" if name == "unit" else name)) for name in ADMIN_FIELDS]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _active_memberships() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__code", "role"),
        to_attr="active_memberships",
    )


def user_directory(*, q: str = "", unit_id: int | None = None, role: str = "") -> QuerySet[User]:
    """Users for the admin list, filtered by unit (where they work or hold a role), role
    (held in that unit, when both are given) and a search for every word of ``q`` in name,
    username and email, accents and case ignored: all in SQL, so the page reads only its
    own rows."""
    users = User.objects.all()
    if unit_id and role:
        users = users.filter(_holds_role(unit_id=unit_id, role=role))
    elif unit_id:
        users = users.filter(Q(unit_id=unit_id) | _holds_role(unit_id=unit_id))
    elif role:
        users = users.filter(_holds_role(role=role))
    users = fulltext.search(users, q, fuzzy=True)
    return (
        users.select_related("unit").prefetch_related(_active_memberships()).order_by("full_name", "username")
    )


def _holds_role(*, unit_id: int | None = None, role: str = "") -> Exists:
    """An active membership matching the unit and the role together: one row must satisfy
    both, so a head elsewhere who is staff here is not a head here."""
    conditions: dict[str, Any] = {"user": OuterRef("pk"), "is_active": True}
    if unit_id:
        conditions["unit_id"] = unit_id
    if role:
        conditions["role"] = role
    return Exists(Membership.objects.filter(**conditions))


def memberships_of(user: User) -> QuerySet[Membership]:
    """All of a person's roles, ended ones included (history is kept)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("unit")
        .order_by("-is_active", "unit__code", "role")
    )


def active_memberships_of(user: User) -> QuerySet[Membership]:
    return memberships_of(user).filter(is_active=True)


ACTION_LABELS = {
    "auth.login": _("Đăng nhập"),
    "auth.logout": _("Đăng xuất"),
    "auth.lockout": _("Tạm chặn đăng nhập do đăng nhập sai nhiều lần"),
    "auth.unlock": _("Mở khóa đăng nhập cho tài khoản"),
    "auth.unlock_address": _("Mở khóa đăng nhập cho địa chỉ IP"),
    "user.create": _("Tạo tài khoản"),
    "user.update": _("Sửa thông tin"),
    "user.activate": _("Mở khóa tài khoản"),
    "user.deactivate": _("Khóa tài khoản"),
    "user.password_change": _("Đổi mật khẩu"),
    "user.password_reset": _("Đặt lại mật khẩu"),
    "membership.add": _("Giao vai trò"),
    "membership.remove": _("Thôi giao vai trò"),
}


register_action_labels(ACTION_LABELS)
register_object_url(User, "user_detail")
# A role given is recorded on the person (the demo writes its label, the code would do too).
register_change_labels(User, {"role": _("Vai trò")}, choices={"role": Role.choices})


def user_events(user: User) -> list[AuditEvent]:
    """The audit trail of one person (their record, roles, logins), newest first, described
    for ``core/_timeline.html``."""
    return timeline_for(user)
