"""URLs of the oversight statistics area."""

from django.urls import URLPattern, path

from caicach.oversight.statistics import views

urlpatterns: list[URLPattern] = [
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke/chi-tiet/", views.drill_down, name="statistics_drill_down"),
    path("thong-ke/bao-cao/", views.task_report, name="task_report"),
    path("thong-ke/bao-cao/<int:pk>/", views.task_report_detail, name="task_report_detail"),
    path("thong-ke/bao-cao/<int:pk>/bao-cao.docx", views.task_report_docx, name="task_report_docx"),
    path("thong-ke/bao-cao/<int:pk>/ban-hanh/", views.task_report_issue, name="task_report_issue"),
]
