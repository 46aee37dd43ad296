"""URLs of oversight: each area keeps its own list in its ``urls.py``."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "oversight"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("caicach.oversight.followup.urls")),
    path("", include("caicach.oversight.urging.urls")),
    path("", include("caicach.oversight.statistics.urls")),
]
