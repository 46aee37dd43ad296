from django.urls import URLPattern, path

from caicach.initiatives import views

app_name = "initiatives"

urlpatterns: list[URLPattern] = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/plan.docx", views.campaign_plan, name="campaign_plan"),
    path("campaigns/<int:pk>/plan-pdf/", views.campaign_plan_pdf, name="campaign_plan_pdf"),
    path("campaigns/<int:pk>/publish/", views.campaign_publish_view, name="campaign_publish"),
]
