"""URLs of core: units."""

from django.urls import URLPattern, path

from caicach.core.units import views

urlpatterns: list[URLPattern] = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/goi-y/", views.unit_suggestions, name="unit_suggestions"),
    path("don-vi/moi/", views.unit_create_view, name="unit_create"),
    path("don-vi/nhap-excel/", views.unit_import_view, name="unit_import"),
    path("don-vi/danh-sach.xlsx", views.unit_export_view, name="unit_export"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.unit_update_view, name="unit_update"),
    path("don-vi/<int:pk>/sap-nhap/", views.unit_merge_view, name="unit_merge"),
]
