"""URLs of core: notifications."""

from django.urls import URLPattern, path

from caicach.core.notifications import views

urlpatterns: list[URLPattern] = [
    path("hop-thu/", views.inbox, name="inbox"),
    path("hop-thu/so-chua-doc/", views.inbox_badge, name="inbox_badge"),
    path("hop-thu/da-doc-het/", views.notifications_read_all, name="notifications_mark_all_read"),
    path("hop-thu/<int:pk>/da-doc/", views.notification_read, name="notification_mark_read"),
    path("hop-thu/<int:pk>/mo/", views.notification_open, name="notification_open"),
]
