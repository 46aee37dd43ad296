"""A URL that fails, so the 500 page can be seen (only the error-page test mounts it)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the error-page test")


urlpatterns: list[URLPattern | URLResolver] = [path("loi/", fail), path("", include("caicach.urls"))]
