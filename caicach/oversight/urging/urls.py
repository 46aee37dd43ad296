"""URLs of the oversight urging area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
