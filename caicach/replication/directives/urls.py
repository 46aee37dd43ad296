"""URLs of replication: directives."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
