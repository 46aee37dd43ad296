"""URLs of the meeting dossiers area (mounted under /phien-hop/ by deliberation/urls.py)."""

from django.urls import URLPattern, path

from caicach.deliberation.dossiers import views

urlpatterns: list[URLPattern] = [
    path("de-nghi-rut/", views.withdrawal_list_view, name="withdrawal_list"),
    path("de-nghi-rut/in/", views.withdrawal_list_print, name="withdrawal_list_print"),
    path("<int:pk>/de-nghi-rut/", views.meeting_withdrawal_list, name="meeting_withdrawal_list"),
    path(
        "<int:pk>/de-nghi-rut/in/", views.meeting_withdrawal_list_print, name="meeting_withdrawal_list_print"
    ),
    path("noi-dung/<int:pk>/ho-so/", views.dossier_detail, name="dossier_detail"),
    path("noi-dung/<int:pk>/ho-so/lap/", views.checklist_create_view, name="dossier_checklist_create"),
    path("noi-dung/<int:pk>/ho-so/them/", views.entry_add_view, name="dossier_entry_add"),
    path("noi-dung/<int:pk>/quyet-dinh-rut/", views.withdrawal_decide_view, name="withdrawal_decide"),
    path("ho-so/<int:pk>/", views.entry_detail, name="dossier_entry_detail"),
    path("ho-so/<int:pk>/danh-dau/", views.entry_mark_view, name="dossier_entry_mark"),
    path("ho-so/<int:pk>/tep/", views.entry_file, name="dossier_entry_file"),
]
