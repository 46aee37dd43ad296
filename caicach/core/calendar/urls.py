"""URLs of core: calendar."""

from django.urls import URLPattern, path

from caicach.core.calendar import views

urlpatterns: list[URLPattern] = [
    path("lich/", views.calendar_current, name="calendar"),
    path("lich/<int:year>/", views.calendar_year, name="calendar_year"),
    path("lich/ngay/moi/", views.calendar_day_create, name="calendar_day_create"),
    path("lich/ngay/<int:pk>/sua/", views.calendar_day_update, name="calendar_day_update"),
    path("lich/ngay/<int:pk>/xoa/", views.calendar_day_remove_view, name="calendar_day_remove"),
    path("lich/nap-lich-chinh-thuc/", views.calendar_load_official_view, name="calendar_load_official"),
]
