"""URLs of meetings: agendas, dossiers, the withdrawal list, attendance and documents."""

from django.urls import URLPattern, path

from caicach.deliberation.meetings import views

urlpatterns: list[URLPattern] = [
    path("", views.meeting_list, name="meeting_list"),
    path("moi/", views.meeting_create_view, name="meeting_create"),
    path("cu-khong-dung-thanh-phan/", views.attendance_stats_view, name="attendance_stats"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/sua/", views.meeting_update_view, name="meeting_update"),
    path("<int:pk>/huy/", views.meeting_cancel_view, name="meeting_cancel"),
    path("<int:pk>/da-hop/", views.meeting_hold_view, name="meeting_hold"),
    path("<int:pk>/them-noi-dung/", views.agenda_add_view, name="agenda_add"),
    path("<int:pk>/them-van-de-khac/", views.agenda_matter_view, name="agenda_add_matter"),
    path("<int:pk>/moi-du-hop/", views.invitees_view, name="meeting_invitees"),
    path("noi-dung/<int:pk>/", views.agenda_item_detail, name="agenda_item_detail"),
    path("noi-dung/<int:pk>/sua/", views.agenda_item_update_view, name="agenda_item_update"),
    path("noi-dung/<int:pk>/xoa/", views.agenda_item_remove_view, name="agenda_item_remove"),
    path("noi-dung/<int:pk>/di-chuyen/", views.agenda_item_move_view, name="agenda_item_move"),
    path("thanh-phan/<int:pk>/", views.invitee_record_view, name="invitee_record"),
]
