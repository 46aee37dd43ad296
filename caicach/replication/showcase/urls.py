"""URLs of the public showcase (no login): recognised initiatives and practices."""

from django.urls import URLPattern

app_name = "showcase"

urlpatterns: list[URLPattern] = []
