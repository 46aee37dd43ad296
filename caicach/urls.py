from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sang-kien/", include("caicach.initiatives.urls")),
    path("chuong-trinh-cong-tac/", include("caicach.workprogram.urls")),
    path("xac-minh/", include("caicach.initiatives.verification.urls")),
    path("", include("caicach.core.urls")),
]
