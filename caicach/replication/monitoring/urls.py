"""URLs of replication: monitoring."""

from django.urls import URLPattern, path

from caicach.replication.monitoring import views

urlpatterns: list[URLPattern] = [
    path("theo-doi/", views.monitoring_matrix, name="monitoring_matrix"),
    path("theo-doi/don-vi-cham/", views.monitoring_laggards, name="monitoring_laggards"),
    path("theo-doi/don-vi-cham/xlsx/", views.monitoring_laggards_export, name="monitoring_laggards_export"),
]
