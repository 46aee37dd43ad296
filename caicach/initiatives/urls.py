"""URLs of the initiatives app: each area keeps its own list in its ``urls.py``."""

from django.urls import URLPattern

from caicach.initiatives.campaigns import urls as campaigns
from caicach.initiatives.dossiers import urls as dossiers
from caicach.initiatives.imports import urls as imports
from caicach.initiatives.recognition import urls as recognition
from caicach.initiatives.review import urls as review
from caicach.initiatives.search import urls as search
from caicach.initiatives.workflow import urls as workflow

app_name = "initiatives"

urlpatterns: list[URLPattern] = [
    *campaigns.urlpatterns,
    *dossiers.urlpatterns,
    *imports.urlpatterns,
    *search.urlpatterns,
    *recognition.urlpatterns,
    *review.urlpatterns,
    *workflow.urlpatterns,
]
