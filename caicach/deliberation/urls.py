"""URLs of deliberation: each area keeps its own list in its ``urls.py``, mounted under its
own prefix here (the project mounts this list at the root)."""

from django.urls import URLPattern, URLResolver, include, path

from caicach.deliberation.consultations import urls as consultations
from caicach.deliberation.meetings import urls as meetings

app_name = "deliberation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("y-kien-thanh-vien/", include(consultations.urlpatterns)),
    path("phien-hop/", include(meetings.urlpatterns)),
]
