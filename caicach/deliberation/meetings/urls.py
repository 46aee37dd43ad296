"""URLs of meetings: agendas, dossiers, the withdrawal list, attendance and documents."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
