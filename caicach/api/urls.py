"""The site's pages of the API (the API itself is mounted by caicach/urls.py)."""

from django.urls import URLPattern, path

from caicach.api import views

urlpatterns: list[URLPattern] = [
    path("", views.token_list, name="api_tokens"),
    path("<int:pk>/thu-hoi/", views.token_revoke, name="api_token_revoke"),
]
