"""URLs of deliberation: each area keeps its own list in its ``urls.py``."""

from django.urls import URLPattern

from caicach.deliberation.consultations import urls as consultations

app_name = "deliberation"

urlpatterns: list[URLPattern] = [*consultations.urlpatterns]
