"""URLs of initiatives: verification."""

from django.urls import URLPattern, path

from caicach.initiatives.verification import views

app_name = "verification"

urlpatterns: list[URLPattern] = [
    path("", views.verification_form, name="form"),
    path("<str:code>/", views.verification_certificate, name="certificate"),
]
