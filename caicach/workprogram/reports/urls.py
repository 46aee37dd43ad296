"""URLs of workprogram: reports."""

from django.urls import URLPattern, path

from caicach.workprogram.reports import views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/bao-cao/", views.report_list, name="report_list"),
    path(
        "<int:pk>/bao-cao/<int:unit_id>/<int:year>/<int:month>/",
        views.report_form,
        name="report_form",
    ),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/mo-lai/", views.report_reopen, name="report_reopen"),
    path("<int:pk>/tong-hop/<int:year>/<int:month>/", views.summary_detail, name="summary_detail"),
    path("<int:pk>/tong-hop/<int:year>/<int:month>/ban-hanh/", views.summary_issue, name="summary_issue"),
    path("<int:pk>/tong-hop/<int:year>/<int:month>/bao-cao.docx", views.summary_docx, name="summary_docx"),
    path("<int:pk>/chi-so/", views.kpi, name="kpi"),
    path("<int:pk>/chi-so/chua-hoan-thanh/", views.kpi_unfinished, name="kpi_unfinished"),
]
