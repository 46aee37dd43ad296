from django.urls import URLPattern, path

from caicach.workprogram import views
from caicach.workprogram.views_reports import reports_urlpatterns

app_name = "workprogram"

urlpatterns: list[URLPattern] = [
    path("", views.program_list, name="program_list"),
    path("new/", views.program_create_view, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.program_update_view, name="program_update"),
    path("<int:pk>/import/", views.program_import_view, name="program_import"),
    path("<int:pk>/import/template.xlsx", views.program_import_template, name="program_import_template"),
    path("<int:pk>/items/new/", views.item_create_view, name="item_create"),
    path("<int:pk>/propose/", views.request_add_view, name="request_add"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_update_view, name="item_update"),
    path("items/<int:pk>/submit/", views.item_submit_view, name="item_submit"),
    path("items/<int:pk>/issue/", views.item_issue_view, name="item_issue"),
    path("items/<int:pk>/adjust/", views.request_create_view, name="request_create"),
    path("settings/", views.program_settings_view, name="settings"),
    path("settings/reasons/new/", views.reason_create_view, name="reason_create"),
    path("settings/reasons/<int:pk>/edit/", views.reason_update_view, name="reason_update"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", views.request_decide_view, name="request_decide"),
    path("requests/<int:pk>/to-trinh.docx", views.request_document, name="request_document"),
    path("requests/<int:pk>/thong-bao.docx", views.decision_document, name="decision_document"),
]

urlpatterns += reports_urlpatterns
