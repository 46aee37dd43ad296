"""URLs of the oversight followup area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
