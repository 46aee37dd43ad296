"""URLs of replication: directives."""

from django.urls import URLPattern, path

from caicach.replication.directives import views

urlpatterns: list[URLPattern] = [
    path("van-ban/", views.directive_list, name="directive_list"),
    path("van-ban/soan/", views.directive_create_view, name="directive_create"),
    path("van-ban/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("van-ban/<int:pk>/sua/", views.directive_edit, name="directive_edit"),
    path("van-ban/<int:pk>/mo-hinh/", views.directive_practices, name="directive_practices"),
    path("van-ban/<int:pk>/giao/", views.directive_assignment_add, name="directive_assignment_add"),
    path(
        "van-ban/<int:pk>/giao/<int:assignment_pk>/bo/",
        views.directive_assignment_remove,
        name="directive_assignment_remove",
    ),
    path("van-ban/<int:pk>/tai-ve/", views.directive_document, name="directive_document"),
    path("van-ban/<int:pk>/pdf/", views.directive_pdf, name="directive_pdf"),
    path("van-ban/<int:pk>/ban-hanh/", views.directive_issue_view, name="directive_issue"),
    path("van-ban/<int:pk>/giao-them/", views.directive_extend, name="directive_extend"),
]
