"""URLs of initiatives: review."""

from django.urls import URLPattern, path

from caicach.initiatives.review import views

urlpatterns: list[URLPattern] = [
    path("bo-tieu-chi/", views.rubric_list, name="rubric_list"),
    path("bo-tieu-chi/moi/", views.rubric_create_view, name="rubric_create"),
    path("bo-tieu-chi/<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("bo-tieu-chi/<int:pk>/sua/", views.rubric_edit, name="rubric_edit"),
    path("dot-phat-dong/<int:campaign_pk>/hoi-dong/moi/", views.council_create, name="council_create"),
    path("hoi-dong/<int:pk>/", views.council_detail, name="council_detail"),
    path("hoi-dong/<int:pk>/sua/", views.council_edit, name="council_edit"),
    path("hoi-dong/<int:pk>/thanh-vien/", views.council_members_view, name="council_members"),
    path("hoi-dong/<int:pk>/phan-cong/", views.council_assign, name="council_assign"),
    path("hoi-dong/<int:pk>/ket-thuc/", views.council_close, name="council_close"),
    path("hoi-dong/<int:pk>/ket-qua/", views.council_results, name="council_results"),
    path("hoi-dong/<int:pk>/bieu-quyet/", views.council_votes, name="council_votes"),
    path(
        "hoi-dong/<int:pk>/bieu-quyet/<int:initiative_pk>/",
        views.council_vote_record,
        name="council_vote_record",
    ),
    path("hoi-dong/<int:pk>/bien-ban.docx", views.council_minutes, name="council_minutes"),
    path("hoi-dong/<int:pk>/bien-ban/ban-hanh/", views.council_minutes_issue, name="council_minutes_issue"),
    path("hoi-dong/<int:pk>/bien-ban-pdf/", views.council_minutes_pdf, name="council_minutes_pdf"),
    path(
        "hoi-dong/<int:pk>/ho-so/<int:initiative_pk>/phieu-trong.docx", views.blank_sheet, name="blank_sheet"
    ),
    path("thanh-vien-hoi-dong/<int:pk>/vai-tro/", views.council_member_role, name="council_member_role"),
    path("thanh-vien-hoi-dong/<int:pk>/go/", views.council_member_remove_view, name="council_member_remove"),
    path("cham-diem/", views.review_mine, name="review_mine"),
    path("cham-diem/<int:pk>/", views.review_score, name="review_score"),
    path("cham-diem/<int:pk>/xung-dot/", views.review_conflict, name="review_conflict"),
    path("cham-diem/<int:pk>/phieu.docx", views.review_sheet_docx, name="review_sheet"),
    path("cham-diem/<int:pk>/phieu-pdf/", views.review_sheet_pdf, name="review_sheet_pdf"),
]
