"""URLs of the public showcase (no login): recognised initiatives and practices."""

from django.urls import URLPattern, path

from caicach.replication.showcase import views

app_name = "showcase"

urlpatterns: list[URLPattern] = [
    path("", views.showcase_index, name="index"),
    path("mo-hinh/<int:pk>/", views.showcase_practice, name="practice"),
    path("sang-kien/<int:pk>/", views.showcase_initiative, name="initiative"),
]
