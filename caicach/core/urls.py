from django.urls import URLPattern, URLResolver

from caicach.core.views import accounts, audit, calendar, documents, jobs, notifications, units

urlpatterns: list[URLPattern | URLResolver] = [
    *accounts.urlpatterns,
    *units.urlpatterns,
    *calendar.urlpatterns,
    *audit.urlpatterns,
    *notifications.urlpatterns,
    *documents.urlpatterns,
    *jobs.urlpatterns,
]
