"""URLs of core: the register of issued documents."""

from django.urls import URLPattern, path

from caicach.core.register import views

urlpatterns: list[URLPattern] = [
    path("so-van-ban/", views.document_register, name="document_register"),
]
