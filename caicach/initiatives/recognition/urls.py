"""URLs of initiatives: recognition."""

from django.urls import URLPattern, path

from caicach.initiatives.recognition import views

urlpatterns: list[URLPattern] = [
    path("dot-phat-dong/<int:pk>/cong-nhan/", views.recognition_campaign, name="recognition_campaign"),
    path(
        "dot-phat-dong/<int:pk>/cong-nhan/quyet-dinh/",
        views.recognition_decision_issue_view,
        name="recognition_decision_issue",
    ),
    path(
        "dot-phat-dong/<int:pk>/cong-nhan/du-thao-quyet-dinh.<str:fmt>",
        views.recognition_decision_draft,
        name="recognition_decision_draft",
    ),
    path(
        "dot-phat-dong/<int:pk>/cong-nhan/giay-chung-nhan/",
        views.recognition_certificates_issue,
        name="recognition_certificates_issue",
    ),
    path(
        "cong-nhan/quyet-dinh/<int:pk>.docx",
        views.recognition_decision_docx,
        name="recognition_decision_docx",
    ),
    path(
        "cong-nhan/<int:pk>/van-ban-tu-choi/",
        views.recognition_refusal_issue,
        name="recognition_refusal_issue",
    ),
    path(
        "cong-nhan/<int:pk>/van-ban-tu-choi.docx",
        views.recognition_refusal_docx,
        name="recognition_refusal_docx",
    ),
    path(
        "cong-nhan/<int:pk>/giay-chung-nhan/",
        views.recognition_certificate_issue,
        name="recognition_certificate_issue",
    ),
    path(
        "cong-nhan/<int:pk>/du-thao-giay-chung-nhan.pdf",
        views.recognition_certificate_draft,
        name="recognition_certificate_draft",
    ),
    path("cong-nhan/giay-chung-nhan/<int:pk>.pdf", views.certificate_download, name="certificate_pdf"),
    path(
        "cong-nhan/giay-chung-nhan/<int:pk>/thu-hoi/",
        views.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("bao-cao-hieu-qua/moi/<int:pk>/", views.effectiveness_create, name="effectiveness_create"),
    path("bao-cao-hieu-qua/<int:pk>/", views.effectiveness_detail, name="effectiveness_detail"),
    path("bao-cao-hieu-qua/<int:pk>/sua/", views.effectiveness_edit, name="effectiveness_edit"),
    path("bao-cao-hieu-qua/<int:pk>/gui/", views.effectiveness_submit, name="effectiveness_submit"),
    path("bao-cao-hieu-qua/<int:pk>.docx", views.effectiveness_docx, name="effectiveness_docx"),
]
