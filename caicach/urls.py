from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sang-kien/", include("caicach.initiatives.urls")),
    path("", include("caicach.core.urls")),
]
