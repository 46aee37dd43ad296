"""URLs of the oversight followup area."""

from django.urls import URLPattern, path

from caicach.oversight.followup import views

urlpatterns: list[URLPattern] = [
    path("", views.task_list, name="task_list"),
    path("giao-moi/", views.task_create_view, name="task_create"),
    path("tu-ket-luan/", views.conclusion_meetings, name="conclusion_meetings"),
    path("tu-ket-luan/<int:pk>/", views.conclusion_tasks_view, name="conclusion_tasks"),
    path("nhap-excel/", views.task_import_view, name="task_import"),
    path("nhap-excel/mau/<int:pk>.xlsx", views.task_import_template, name="task_import_template"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/sua/", views.task_edit_view, name="task_edit"),
    path("<int:pk>/tien-do/", views.task_progress_view, name="task_progress"),
    path("<int:pk>/hoan-thanh/", views.task_done_view, name="task_done"),
    path("<int:pk>/huy/", views.task_cancel_view, name="task_cancel"),
    path("<int:pk>/ky-tiep-theo/", views.task_repeat_view, name="task_repeat"),
    path("<int:pk>/gia-han/", views.extension_request_view, name="extension_request"),
    path("gia-han/<int:pk>/quyet-dinh/", views.extension_decide_view, name="extension_decide"),
    path("tien-do/<int:pk>/tep/", views.progress_file, name="progress_file"),
]
