"""URLs of the national benchmark: the project's own, plus ``bench_trivial``, the cheapest
page the stack can serve (every middleware, no view work), measured between the real pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("__trivial__/", trivial, name="bench_trivial"),
    path("", include("caicach.urls")),
]
