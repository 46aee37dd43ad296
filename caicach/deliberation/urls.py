"""URLs of deliberation: each area keeps its own list in its ``urls.py``, mounted under its
own prefix here (the project mounts this list at the root)."""

from django.urls import URLPattern, URLResolver, include, path

from caicach.deliberation.consultations import urls as consultations
from caicach.deliberation.dossiers import urls as dossiers
from caicach.deliberation.meetings import urls as meetings
from caicach.deliberation.notices import urls as notices

app_name = "deliberation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("y-kien-thanh-vien/", include(consultations.urlpatterns)),
    path("phien-hop/", include(meetings.urlpatterns)),
    path("phien-hop/", include(dossiers.urlpatterns)),
    path("phien-hop/", include(notices.urlpatterns)),
]
