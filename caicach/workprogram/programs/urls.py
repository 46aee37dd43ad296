"""URLs of workprogram: programs, their items and the adjustment requests."""

from django.urls import URLPattern, path

from caicach.workprogram.programs import views

urlpatterns: list[URLPattern] = [
    path("", views.program_list, name="program_list"),
    path("moi/", views.program_create_view, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/sua/", views.program_update_view, name="program_update"),
    path("<int:pk>/nhap-excel/", views.program_import_view, name="program_import"),
    path("<int:pk>/nhap-excel/mau.xlsx", views.program_import_template, name="program_import_template"),
    path("<int:pk>/noi-dung/moi/", views.item_create_view, name="item_create"),
    path("<int:pk>/de-xuat/", views.request_add_view, name="request_add"),
    path("noi-dung/<int:pk>/", views.item_detail, name="item_detail"),
    path("noi-dung/<int:pk>/sua/", views.item_update_view, name="item_update"),
    path("noi-dung/<int:pk>/da-trinh/", views.item_submit_view, name="item_submit"),
    path("noi-dung/<int:pk>/da-ban-hanh/", views.item_issue_view, name="item_issue"),
    path("noi-dung/<int:pk>/dieu-chinh/", views.request_create_view, name="request_create"),
    path("thiet-lap/", views.program_settings_view, name="settings"),
    path("thiet-lap/ly-do/moi/", views.reason_create_view, name="reason_create"),
    path("thiet-lap/ly-do/<int:pk>/sua/", views.reason_update_view, name="reason_update"),
    path("de-nghi/", views.request_list, name="request_list"),
    path("de-nghi/<int:pk>/", views.request_detail, name="request_detail"),
    path("de-nghi/<int:pk>/quyet-dinh/", views.request_decide_view, name="request_decide"),
    path("de-nghi/<int:pk>/duyet/", views.request_approve_submission_view, name="request_approve_submission"),
    path("de-nghi/<int:pk>/tra-lai/", views.request_return_view, name="request_return"),
    path("de-nghi/<int:pk>/sua/", views.request_revise_view, name="request_revise"),
    path("de-nghi/<int:pk>/to-trinh.docx", views.request_document, name="request_document"),
    path(
        "de-nghi/<int:pk>/to-trinh.pdf", views.request_document, {"fmt": "pdf"}, name="request_document_pdf"
    ),
    path("de-nghi/<int:pk>/thong-bao.docx", views.decision_document, name="decision_document"),
]
