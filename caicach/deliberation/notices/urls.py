"""URLs of the meeting notices area (mounted under /phien-hop/ by deliberation/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
