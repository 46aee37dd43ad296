"""Keeps the current request's actor and client address at hand for the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. X-Forwarded-For is trusted only for the proxies we run
    (TRUSTED_PROXY_COUNT), otherwise anyone could write any address into the trail."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote or None


def current_client_ip() -> str | None:
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
