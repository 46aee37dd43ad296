"""URLs that fail with 403 and 500, so the error pages can be seen (only error-page tests mount it)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def deny(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the error-page test")


urlpatterns: list[URLPattern | URLResolver] = [
    path("cam/", deny),
    path("loi/", fail),
    path("", include("caicach.urls")),
]
