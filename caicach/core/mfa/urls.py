"""URLs of core: the two-step login."""

from django.urls import URLPattern, path

from caicach.core.mfa import views

urlpatterns: list[URLPattern] = [
    path("xac-thuc-hai-buoc/", views.mfa_verify, name="mfa_verify"),
    path("xac-thuc-hai-buoc/dang-ky/", views.mfa_enrol, name="mfa_enrol"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/tao-moi/", views.mfa_codes_renew, name="mfa_codes_renew"),
    path("xac-thuc-hai-buoc/tat/", views.mfa_disable, name="mfa_disable"),
    path("nguoi-dung/<int:pk>/xac-thuc-hai-buoc/dat-lai/", views.mfa_reset, name="mfa_reset"),
]
