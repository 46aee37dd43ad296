"""URLs of initiatives: search."""

from django.urls import URLPattern, path

from caicach.initiatives.search import views

urlpatterns: list[URLPattern] = [
    path("", views.initiative_list, name="initiative_list"),
    path("danh-sach.xlsx", views.initiative_export, name="initiative_export"),
    path("ho-so/<int:pk>/tuong-tu/", views.initiative_similar, name="initiative_similar"),
]
