"""URLs of replication: each area keeps its own list in its ``urls.py``. The public
showcase has its own namespace (``showcase``), mounted outside the staff pages."""

from django.urls import URLPattern

from caicach.replication.adoption import urls as adoption
from caicach.replication.directives import urls as directives
from caicach.replication.monitoring import urls as monitoring
from caicach.replication.practices import urls as practices

app_name = "replication"

urlpatterns: list[URLPattern] = [
    *practices.urlpatterns,
    *directives.urlpatterns,
    *adoption.urlpatterns,
    *monitoring.urlpatterns,
]
