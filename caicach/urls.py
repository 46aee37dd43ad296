from captcha import views as captcha_views
from django.urls import include, path

from caicach.api.api import api as api_v1

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API (caicach.api) and the page of one's API tokens.
    path("api/v1/", api_v1.urls),
    path("ma-truy-cap-api/", include("caicach.api.urls")),
    path("sang-kien/", include("caicach.initiatives.urls")),
    path("chuong-trinh-cong-tac/", include("caicach.workprogram.urls")),
    path("nhan-rong/", include("caicach.replication.urls")),
    # Members' opinions at /y-kien-thanh-vien/, meetings at /phien-hop/ (one namespace).
    path("", include("caicach.deliberation.urls")),
    path("nhiem-vu/", include("caicach.oversight.urls")),
    path("mo-hinh-hay/", include("caicach.replication.showcase.urls")),
    path("xac-minh/", include("caicach.initiatives.verification.urls")),
    # The login challenge's image only: no refresh endpoint (it would write on GET) and no
    # audio (off). The widget finds it by the name django-simple-captcha gives it.
    path("ma-xac-nhan/<slug:key>/", captcha_views.captcha_image, {"scale": 1}, name="captcha-image"),
    path("", include("caicach.core.urls")),
]
