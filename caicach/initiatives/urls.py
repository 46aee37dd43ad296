"""URLs of the initiatives app: each area keeps its own list in its views module."""

from django.urls import URLPattern

from caicach.initiatives.views import campaigns, dossiers, imports, lists, recognition, review, workflow

app_name = "initiatives"

urlpatterns: list[URLPattern] = [
    *campaigns.urlpatterns,
    *dossiers.urlpatterns,
    *imports.urlpatterns,
    *lists.urlpatterns,
    *recognition.urlpatterns,
    *review.urlpatterns,
    *workflow.urlpatterns,
]
