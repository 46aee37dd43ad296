"""URLs of the oversight urging area."""

from django.urls import URLPattern, path

from caicach.oversight.urging import views

urlpatterns: list[URLPattern] = [
    path("don-doc/", views.notice_list, name="notice_list"),
    path("don-doc/soan/", views.notice_create_view, name="notice_create"),
    path("don-doc/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("don-doc/<int:pk>/sua/", views.notice_edit, name="notice_edit"),
    path("don-doc/<int:pk>/tai-ve/", views.notice_document, name="notice_document"),
    path("don-doc/<int:pk>/ban-hanh/", views.notice_issue_view, name="notice_issue"),
    path("cham-tre-nhieu-lan/", views.laggards, name="laggards"),
    path("thiet-lap/", views.settings_view, name="settings"),
]
