"""Keeps a session that owes its second step on the pages that settle it. Goes in
MIDDLEWARE after django-otp's OTPMiddleware (which tells whether the session is verified)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from caicach.core.mfa import queries
from caicach.core.mfa.views import is_verified, second_step_url
from caicach.core.web import acting_user


@cache
def _open_paths() -> frozenset[str]:
    """What a session between its password and its second step may still reach: leave,
    give the code or enrol, switch the language."""
    return frozenset(reverse(name) for name in ("logout", "mfa_verify", "mfa_enrol", "set_language"))


def _is_open(path: str) -> bool:
    return path in _open_paths() or path.startswith(settings.STATIC_URL)


class SecondStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not is_verified(request) and not _is_open(request.path_info):
            # Owed since the login view's password step, or because the person's role now
            # requires a second step (a session older than the role, or than enrolment).
            owed = bool(request.session.get(queries.PENDING_LOGIN_KEY)) or queries.mfa_required(
                acting_user(request)
            )
            if owed:
                response = HttpResponseRedirect(
                    second_step_url(request, request.get_full_path() if request.method == "GET" else None)
                )
                if getattr(request, "htmx", False):
                    # htmx would swap the page into a fragment: ask for a full redirect.
                    response["HX-Redirect"] = response["Location"]
                return response
        return self.get_response(request)
