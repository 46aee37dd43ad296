"""URLs of the meeting notices area (mounted under /phien-hop/ by deliberation/urls.py)."""

from django.urls import URLPattern, path

from caicach.deliberation.notices import views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/giay-moi/", views.invitation_edit, name="invitation_edit"),
    path("<int:pk>/giay-moi/du-thao/", views.invitation_preview, name="invitation_preview"),
    path("<int:pk>/giay-moi/ban-hanh/", views.invitation_issue_view, name="invitation_issue"),
    path("<int:pk>/giay-moi/tai-ve/", views.invitation_download, name="invitation_download"),
    path("<int:pk>/ket-luan/", views.conclusion_edit, name="conclusion_edit"),
    path("<int:pk>/ket-luan/du-thao/", views.conclusion_preview, name="conclusion_preview"),
    path("<int:pk>/ket-luan/ban-hanh/", views.conclusion_issue_view, name="conclusion_issue"),
    path("<int:pk>/ket-luan/tai-ve/", views.conclusion_download, name="conclusion_download"),
]
