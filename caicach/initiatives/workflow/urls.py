"""URLs of initiatives: workflow."""

from django.urls import URLPattern, path

from caicach.initiatives.workflow import views

urlpatterns: list[URLPattern] = [
    path("ho-so/<int:pk>/gui/", views.initiative_submit_view, name="initiative_submit"),
    path("ho-so/<int:pk>/xac-nhan/", views.initiative_confirm_view, name="initiative_confirm"),
    path("ho-so/<int:pk>/tra-lai-tac-gia/", views.initiative_send_back_view, name="initiative_send_back"),
    path("ho-so/<int:pk>/tiep-nhan/", views.initiative_accept_view, name="initiative_accept"),
    path("ho-so/<int:pk>/tra-lai/", views.initiative_return_view, name="initiative_return"),
    path("ho-so/<int:pk>/van-ban/<str:kind>.docx", views.initiative_document, name="initiative_document"),
    path(
        "ho-so/<int:pk>/van-ban/<str:kind>/pdf/",
        views.initiative_document_pdf,
        name="initiative_document_pdf",
    ),
    path("dot-phat-dong/<int:pk>/ho-so-zip/", views.campaign_dossiers_zip, name="campaign_dossiers_zip"),
]
