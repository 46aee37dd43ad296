"""URLs of core: accounts."""

from django.urls import URLPattern, path

from caicach.core.accounts import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("mat-khau/", views.password_change, name="password_change"),
    path("mat-khau/da-doi/", views.password_change_done, name="password_change_done"),
    path("ca-nhan/", views.profile, name="profile"),
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/moi/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("nguoi-dung/<int:pk>/sua/", views.user_update, name="user_update"),
    path("nguoi-dung/<int:pk>/mat-khau/", views.user_password, name="user_password"),
    path("nguoi-dung/<int:pk>/kich-hoat/", views.user_set_active, name="user_set_active"),
    path("nguoi-dung/<int:pk>/mo-khoa-dang-nhap/", views.user_login_unlock, name="user_login_unlock"),
    path("nguoi-dung/<int:pk>/mo-chan-dia-chi/", views.user_address_unlock, name="user_address_unlock"),
    path("nguoi-dung/<int:pk>/vai-tro/", views.membership_add, name="membership_add"),
    path("vai-tro/<int:pk>/go-bo/", views.membership_remove, name="membership_remove"),
]
