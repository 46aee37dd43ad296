"""Request-wide context: the client address for the audit trail, the site's address for links
in emails, the shared cache's versions read once a request, the UI language, forms left to
the server's Vietnamese checks, our own error pages with DEBUG on, and the
Permissions-Policy header."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import BadRequest, DisallowedHost, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers

from caicach.core import choices

logger = logging.getLogger("django.request")

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


_origin: ContextVar[str | None] = ContextVar("origin", default=None)

# Only when neither SITE_URL nor a request says where the site is (a reminder sent by the
# daily tick on a development machine).
FALLBACK_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The site's address for links leaving it (emails, QR codes): SITE_URL when the
    deployment sets it; otherwise the address the current request came to (the demo runs on
    whatever host and port it was started on), captured by RequestContextMiddleware. The
    host was checked against ALLOWED_HOSTS, so a forged Host header cannot get here."""
    configured: str = settings.SITE_URL
    return (configured or _origin.get() or FALLBACK_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    return site_url() + path


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            origin: str | None = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = None
        origin_token = _origin.set(origin)
        try:
            with choices.versions_per_request():
                return self.get_response(request)
        finally:
            _origin.reset(origin_token)
            _client_ip.reset(token)


class LanguageMiddleware:
    """Vietnamese unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers run an English Windows: civil servants would land on an English product they
    never asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ErrorPagesMiddleware:
    """Our Vietnamese 403/404/500 pages even with DEBUG on (the demo runs with it on).

    With DEBUG off Django already answers with the URLconf's error handlers; with DEBUG on it
    shows its English technical pages, which list the URL patterns and, for a 404 raised by a
    view, the reason ("No Dossier matches the given query") — telling an outsider that the
    object exists. Here the same handlers answer unless TECHNICAL_ERROR_PAGES asks for
    Django's pages (a developer debugging). Placed last: the pages need request.user, and
    CommonMiddleware (outside) still turns a 404 into its APPEND_SLASH redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return bool(settings.DEBUG) and not settings.TECHNICAL_ERROR_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            # An unknown address never reaches a view (so process_exception does not see it):
            # resolve here and answer it with the same 404 as an object one may not see.
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as error:
                return self.get_response_for_error(request, 404, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return self.get_response_for_error(request, 404, exception)
        if isinstance(exception, PermissionDenied):
            return self.get_response_for_error(request, 403, exception)
        if isinstance(exception, (SuspiciousOperation, BadRequest, MultiPartParserError)):
            return None  # Django's 400 handling (and its security logging) stays as it is
        # Logged as Django logs an unhandled error, so the traceback is still in the console.
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exception, extra={"status_code": 500}
        )
        return self.get_response_for_error(request, 500, exception)

    @staticmethod
    def get_response_for_error(request: HttpRequest, status: int, exception: Exception) -> HttpResponse:
        # The URLconf's handlers (handler404 …), the very ones Django uses with DEBUG off.
        handler: Callable[..., HttpResponse] = get_resolver(
            getattr(request, "urlconf", None)
        ).resolve_error_handler(status)
        return handler(request) if status == 500 else handler(request, exception=exception)


class PermissionsPolicyMiddleware:
    """Permissions-Policy: the browser features named in settings.PERMISSIONS_POLICY are
    denied (an empty allowlist), so neither our pages nor anything injected into them can ask
    for the camera, the location or a payment. Django has no setting for this header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


_FORM_TAG = re.compile(rb"<form\b(?![^>]*\bnovalidate\b)", re.IGNORECASE)


class NoBrowserValidationMiddleware:
    """Every form of every page gets ``novalidate``: the browser's own checks speak the
    browser's language ("Please fill out this field" on an English Windows) and hide the
    server's Vietnamese message, which says which field and why (and the error summary).
    Done here, once, rather than in each of the product's templates where a new form would
    forget it; fields keep ``required`` for screen readers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"<form" in response.content
        ):
            response.content = _FORM_TAG.sub(b"<form novalidate", response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
