"""Small helpers the routers share: the caller, the If-Match version, a detail fetch through
a query twin."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from caicach.api.errors import ApiError, not_found
from caicach.core.models import User
from caicach.core.permissions import require
from caicach.core.planner import joins_as_written

M = TypeVar("M", bound=models.Model)


def caller(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the router's auth sets the user"
    return user


def fetch(request: HttpRequest, queryset: QuerySet[M], pk: Any, action: str = "view") -> M:
    """One object of ``queryset`` (a query twin: the caller's scope) or 404; its rule is
    asked too (``require``), as a page of the site asks it."""
    try:
        with joins_as_written():  # one row by key, as on a page (``get_for_user``)
            obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise not_found() from None
    require(caller(request), action, obj)
    return obj


def if_match(request: HttpRequest) -> int | None:
    """The version named by ``If-Match`` (``3`` or ``"3"``); None when absent (a new record).
    A garbled value is refused as stale: "no readable version" never means "skip the check"."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    text = raw.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise ApiError(
            409, "stale", _("Phiên bản trong If-Match không hợp lệ. Vui lòng đọc lại dữ liệu rồi gửi lại.")
        )
    return int(text)


def required_version(request: HttpRequest) -> int:
    """The version an edit of an existing object must name: without it, a change written on
    a stale copy would land silently."""
    version = if_match(request)
    if version is None:
        raise ApiError(
            400,
            "if_match_required",
            _("Vui lòng gửi If-Match với version của dữ liệu vừa đọc."),
            {"If-Match": [_("Thiếu giá trị bắt buộc.")]},
        )
    return version
