"""URLs of the oversight statistics area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
