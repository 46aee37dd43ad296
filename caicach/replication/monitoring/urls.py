"""URLs of replication: monitoring."""

from django.urls import URLPattern, path

from caicach.replication.monitoring import views

urlpatterns: list[URLPattern] = [
    path("theo-doi/", views.monitoring_matrix, name="monitoring_matrix"),
    path("theo-doi/don-vi-cham/", views.monitoring_laggards, name="monitoring_laggards"),
    path("theo-doi/don-vi-cham/xlsx/", views.monitoring_laggards_export, name="monitoring_laggards_export"),
    path("theo-doi/ty-le/", views.monitoring_rates, name="monitoring_rates"),
    path("bao-cao-tong-hop/", views.summary_list, name="summary_list"),
    path("bao-cao-tong-hop/them/", views.summary_create, name="summary_create"),
    path("bao-cao-tong-hop/<int:pk>/", views.summary_detail, name="summary_detail"),
    path("bao-cao-tong-hop/<int:pk>/bao-cao.docx", views.summary_document, name="summary_document"),
    path("bao-cao-tong-hop/<int:pk>/ban-hanh/", views.summary_issue, name="summary_issue"),
    path("che-do-bao-cao/", views.replication_settings, name="replication_settings"),
]
