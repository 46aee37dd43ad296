"""URLs of members' opinions."""

from django.urls import URLPattern, path

from caicach.deliberation.consultations import views

urlpatterns: list[URLPattern] = [
    path("", views.consultation_list, name="consultation_list"),
    path("moi/", views.consultation_create_view, name="consultation_create"),
    path("dung-han/", views.punctuality_view, name="punctuality"),
    path("thiet-lap/", views.settings_view, name="settings"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/tep/", views.file_add_view, name="file_add"),
    path("<int:pk>/gui/", views.consultation_send_view, name="consultation_send"),
    path("<int:pk>/tong-hop/", views.consultation_close_view, name="consultation_close"),
    path("<int:pk>/phieu-tong-hop.docx", views.result_sheet_docx, name="result_sheet_docx"),
    path("<int:pk>/phieu-tong-hop.pdf", views.result_sheet_pdf, name="result_sheet_pdf"),
    path("tep/<int:pk>/", views.file_download, name="file_download"),
    path("y-kien/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("y-kien/<int:pk>/cho-y-kien/", views.opinion_give_view, name="opinion_give"),
    path("y-kien/<int:pk>/nhap/", views.opinion_enter_view, name="opinion_enter"),
    path("y-kien/<int:pk>/tiep-thu/", views.opinion_respond_view, name="opinion_respond"),
]
