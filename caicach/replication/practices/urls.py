"""URLs of replication: practices."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
