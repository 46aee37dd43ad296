"""URLs of the work program: each area keeps its own list in its ``urls.py``."""

from django.urls import URLPattern

from caicach.workprogram.programs import urls as programs
from caicach.workprogram.reports import urls as reports

app_name = "workprogram"

urlpatterns: list[URLPattern] = [*programs.urlpatterns, *reports.urlpatterns]
