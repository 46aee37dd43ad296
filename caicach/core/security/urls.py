"""URLs of core: the security log."""

from django.urls import URLPattern, path

from caicach.core.security import views

urlpatterns: list[URLPattern] = [
    path("nhat-ky-an-ninh/", views.security_log, name="security_log"),
]
