"""Idle timeout: a session unused for SESSION_IDLE_MINUTES ends (a shared office computer
left signed in), on top of SESSION_COOKIE_AGE (one working day at most) and expiry at
browser close. Goes in MIDDLEWARE after the auth and message middleware."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "caicach_last_seen"
# Refresh the timestamp at most once a minute, so most requests do not write the session.
TOUCH_INTERVAL_SECONDS = 60


def idle_limit_seconds() -> int:
    return int(getattr(settings, "SESSION_IDLE_MINUTES", 60)) * 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > idle_limit_seconds():
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn do lâu không thao tác. Vui lòng đăng nhập lại.")
                )
                response = redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
                if getattr(request, "htmx", False):
                    # htmx would swap the login page into a fragment: ask for a full redirect.
                    response["HX-Redirect"] = response["Location"]
                return response
            if not isinstance(last_seen, int) or now - last_seen >= TOUCH_INTERVAL_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
