"""URLs of initiatives: dossiers."""

from django.urls import URLPattern, path

from caicach.initiatives.dossiers import views

urlpatterns: list[URLPattern] = [
    path("ho-so/moi/", views.initiative_create_view, name="initiative_create"),
    path("ho-so/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("ho-so/<int:pk>/sua/", views.initiative_edit, name="initiative_edit"),
    path("ho-so/<int:pk>/so-sanh/", views.initiative_compare, name="initiative_compare"),
    path("ho-so/<int:pk>/tep-dinh-kem/", views.attachment_add_view, name="attachment_add"),
    path("ho-so/tep-dinh-kem/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("ho-so/tep-dinh-kem/<int:pk>/go/", views.attachment_remove_view, name="attachment_remove"),
]
