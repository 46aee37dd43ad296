"""URLs of initiatives: campaigns."""

from django.urls import URLPattern, path

from caicach.initiatives.campaigns import views

urlpatterns: list[URLPattern] = [
    path("dot-phat-dong/", views.campaign_list, name="campaign_list"),
    path("dot-phat-dong/moi/", views.campaign_create_view, name="campaign_create"),
    path("dot-phat-dong/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("dot-phat-dong/<int:pk>/don-vi/", views.campaign_units, name="campaign_units"),
    path("dot-phat-dong/<int:pk>/sua/", views.campaign_update_view, name="campaign_update"),
    path("dot-phat-dong/<int:pk>/gia-han/", views.campaign_extend_view, name="campaign_extend"),
    path("dot-phat-dong/<int:pk>/ket-thuc/", views.campaign_close_view, name="campaign_close"),
    path("dot-phat-dong/<int:pk>/ke-hoach.docx", views.campaign_plan, name="campaign_plan"),
    path("dot-phat-dong/<int:pk>/ke-hoach-pdf/", views.campaign_plan_pdf, name="campaign_plan_pdf"),
    path("dot-phat-dong/<int:pk>/ban-hanh/", views.campaign_publish_view, name="campaign_publish"),
]
