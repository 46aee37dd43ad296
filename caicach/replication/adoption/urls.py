"""URLs of replication: adoption."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
