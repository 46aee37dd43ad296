"""URLs of replication: practices."""

from django.urls import URLPattern, path

from caicach.replication.practices import views

urlpatterns: list[URLPattern] = [
    path("mo-hinh/", views.practice_list, name="practice_list"),
    path("mo-hinh/them/", views.practice_create_view, name="practice_create"),
    path("mo-hinh/de-xuat/", views.practice_propose_view, name="practice_propose"),
    path("mo-hinh/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("mo-hinh/<int:pk>/sua/", views.practice_edit, name="practice_edit"),
    path("mo-hinh/<int:pk>/danh-gia/", views.practice_evaluate_view, name="practice_evaluate"),
    path("mo-hinh/<int:pk>/cong-khai/", views.practice_publish_view, name="practice_publish"),
    path("mo-hinh/<int:pk>/dinh-kem/", views.practice_attachment_add, name="practice_attachment_add"),
    path("mo-hinh/tep/<int:pk>/", views.practice_attachment, name="practice_attachment"),
    path(
        "sang-kien/<int:pk>/tao-mo-hinh/",
        views.practice_from_initiative_view,
        name="practice_from_initiative",
    ),
]
