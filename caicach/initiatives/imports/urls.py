"""URLs of initiatives: imports."""

from django.urls import URLPattern, path

from caicach.initiatives.imports import views

urlpatterns: list[URLPattern] = [
    path("ho-so/nhap-tu-tep/", views.import_page, name="initiative_import"),
    path("ho-so/<int:pk>/nhap-tu-tep/", views.import_into_page, name="initiative_import_into"),
]
