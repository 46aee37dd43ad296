"""Who is calling: a personal token (``Authorization: Bearer <token>``) or the browser's
session (with its CSRF token on unsafe methods). Either way the request then carries the
user (``request.user``), so every rule and service sees the same person as on the site.

Each router authenticates for its app: a token must hold the app's read scope for GET and
its write scope for anything else. Both paths count the request against the throttles."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from caicach.api import services
from caicach.api.errors import ApiError
from caicach.api.models import ApiToken
from caicach.api.scopes import allows
from caicach.core.middleware import client_ip
from caicach.core.models import SecurityKind, User
from caicach.core.security import services as security_log

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WINDOW_SECONDS = 60


def seconds() -> float:
    """The wall clock of the throttle's windows (not ``core.clock``, which tests move by days)."""
    return time.time()


def _throttle(kind: str, ident: int | str, limit: int) -> None:
    """A fixed one-minute window counted in the cache (shared by every process in
    production: Redis). Past ``limit``: 429, retry when the window turns."""
    now = seconds()
    window = int(now // WINDOW_SECONDS)
    key = f"api:throttle:{kind}:{ident}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        raise ApiError(
            429,
            "throttled",
            _("Quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": retry_after},
            retry_after=retry_after,
        )


def _check_scope(scopes: list[str], app: str, request: HttpRequest) -> None:
    write = request.method not in SAFE_METHODS
    if not allows(scopes, app, write=write):
        raise ApiError(
            403,
            "scope",
            _("Mã truy cập không có quyền %(level)s dữ liệu “%(app)s”.")
            % {"level": _("ghi") if write else _("đọc"), "app": app},
        )


class TokenAuth(HttpBearer):
    """A personal token. A bearer header that is wrong, expired or revoked is refused
    (401) and logged; it never falls back to the session."""

    def __init__(self, app: str) -> None:
        super().__init__()
        self.app = app

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = (
            ApiToken.objects.select_related("user").filter(hash=services.digest(token.strip())).first()
            if token
            else None
        )
        if found is None or not found.is_active or not found.user.is_active:
            security_log.record(
                SecurityKind.API_TOKEN_REFUSED,
                request=request,
                prefix=found.prefix if found is not None else token.strip()[3:11],
            )
            raise ApiError(
                401, "unauthenticated", _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        user = found.user
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        services.token_used(found)
        _throttle("token", found.pk, settings.API_THROTTLE_TOKEN_PER_MINUTE)
        _throttle("user", user.pk, settings.API_THROTTLE_USER_PER_MINUTE)
        _check_scope(found.scopes, self.app, request)
        return user


class SessionUser(APIKeyCookie):
    """The browser session of a signed-in user: every scope, CSRF on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        # Anonymous: no CSRF question to ask (401 rather than a CSRF refusal).
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        _throttle("user", user.pk, settings.API_THROTTLE_USER_PER_MINUTE)
        return user


def auth_for(app: str) -> list[Any]:
    return [TokenAuth(app), SessionUser()]


class PublicAccess:
    """The public data (the showcase): no credentials asked, every request let through, but
    counted per client address (a signed-in caller or a token holder is counted per address
    too: nothing here is theirs alone). Kept as the router's ``auth`` so that a public
    operation added later cannot forget the throttle."""

    def __call__(self, request: HttpRequest) -> bool:
        address = client_ip(request) or "unknown"
        # Hashed: an IPv6 address's colons and a proxy's odd strings stay out of cache keys.
        ident = hashlib.sha256(address.encode()).hexdigest()[:24]
        _throttle("anon", ident, settings.API_THROTTLE_ANON_PER_MINUTE)
        return True
