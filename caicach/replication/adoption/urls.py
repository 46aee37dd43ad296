"""URLs of replication: adoption reports."""

from django.urls import URLPattern, path

from caicach.replication.adoption import views

urlpatterns: list[URLPattern] = [
    path("nhiem-vu/", views.obligation_list, name="obligation_list"),
    path("nhiem-vu/<int:pk>/bao-cao/<str:period>/", views.report_edit, name="report_edit"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/<int:pk>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/go/", views.evidence_remove, name="evidence_remove"),
    path("xem-xet-bao-cao/", views.report_review_list, name="report_review_list"),
]
