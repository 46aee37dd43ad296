from django.urls import URLPattern, path, re_path

from caicach.initiatives import views

app_name = "initiatives"

urlpatterns: list[URLPattern] = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    re_path(r"^campaigns/(?P<pk>[0-9]+)/plan\.(?P<fmt>docx|pdf)$", views.campaign_plan, name="campaign_plan"),
    path("campaigns/<int:pk>/publish/", views.campaign_publish_view, name="campaign_publish"),
]
