"""URLs of core: audit."""

from django.urls import URLPattern, path

from caicach.core.audit import views

urlpatterns: list[URLPattern] = [
    path("nhat-ky/", views.audit_search, name="audit_search"),
]
