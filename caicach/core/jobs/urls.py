"""URLs of core: jobs."""

from django.urls import URLPattern, path

from caicach.core.jobs import views

urlpatterns: list[URLPattern] = [
    path("tac-vu/<int:pk>/", views.job_detail, name="job_detail"),
    path("tac-vu/<int:pk>/tien-do/", views.job_progress, name="job_progress"),
    path("tac-vu/<int:pk>/tai-ve/", views.job_download, name="job_download"),
    path("tac-vu/<int:pk>/chay-lai/", views.job_restart, name="job_restart"),
]
