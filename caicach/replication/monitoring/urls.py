"""URLs of replication: monitoring."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
