"""Writes the security events a request kept aside, after its view (see
``caicach.core.security.services``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from caicach.core.security import services


class SecurityLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope, token = services.enter_request(request)
        try:
            return self.get_response(request)
        finally:
            services.leave_request(token)
            services.flush(scope)
