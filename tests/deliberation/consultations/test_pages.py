"""The pages go through the services: the Office drafts, attaches the Tờ trình, confirms the
sending (members and deadline named); a member answers; the lead unit takes comments in; the
Office closes. Every page stays within a fixed number of queries however many rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role
from caicach.core.once import FIELD, new_token
from caicach.deliberation.models import Consultation, ConsultationStatus, Opinion
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.deliberation.factories import (
    DEADLINE,
    PDF,
    SENT_ON,
    Committee,
    answer,
    make_committee,
    opinion_of,
    sent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(org: Org, people: People) -> Committee:
    return make_committee(org, people)


def test_the_office_drafts_attaches_and_sends_after_a_confirmation(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    client.force_login(people.office_officer)
    with on_day(SENT_ON):
        response = client.post(
            reverse("deliberation:consultation_create"),
            {
                "committee": org.province.pk,
                "lead_unit": org.science.pk,
                "kind": "plan",
                "title": "Dự thảo Kế hoạch chuyển đổi số năm 2025",
                FIELD: new_token(),
            },
        )
        consultation = Consultation.objects.get()
        assert response.status_code == 302 and response["Location"] == consultation.get_absolute_url()
        upload = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
        response = client.post(
            reverse("deliberation:file_add", args=[consultation.pk]),
            {"role": "submission", "file": upload, FIELD: new_token()},
        )
        assert response.status_code == 302
        confirm = client.get(reverse("deliberation:consultation_send", args=[consultation.pk]))
        page = confirm.content.decode()
        assert "Nguyễn Chủ Tịch" in page and "Bùi Thành Viên Ba" in page
        assert "hết ngày 10/10/2024" in page
        assert Consultation.objects.get().status == ConsultationStatus.DRAFT  # showing sends nothing
        response = client.post(
            reverse("deliberation:consultation_send", args=[consultation.pk]),
            {"version": consultation.version},
        )
    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.status == ConsultationStatus.SENT and consultation.deadline == DEADLINE


def test_a_bad_file_is_explained_on_the_page(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    from tests.deliberation.factories import draft

    consultation = draft(org, people, with_file=False)
    client.force_login(people.office_officer)
    fake = SimpleUploadedFile("to-trinh.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("deliberation:file_add", args=[consultation.pk]),
        {"role": "submission", "file": fake, FIELD: new_token()},
    )
    assert response.status_code == 400
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert not consultation.files.exists()


def test_a_member_answers_with_comments_through_the_page(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    opinion = opinion_of(consultation, committee.member)
    client.force_login(committee.member)
    url = reverse("deliberation:opinion_give", args=[opinion.pk])
    with on_day(SENT_ON):
        refused = client.post(
            url, {"answer": "agree_with_comments", "comment": "", "version": opinion.version}
        )
        assert refused.status_code == 400
        assert "Vui lòng ghi rõ ý kiến" in refused.content.decode()
        response = client.post(
            url, {"answer": "agree_with_comments", "comment": "Bổ sung Điều 4.", "version": opinion.version}
        )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.answer, opinion.comment) == ("agree_with_comments", "Bổ sung Điều 4.")


def test_a_closed_consultation_sends_a_late_click_back_with_a_message(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    everyone = [("agree", "")] * 4
    for member, (value, comment) in zip(committee.everyone, everyone, strict=True):
        answer(consultation, member, value, comment)
    consultation.refresh_from_db()
    client.force_login(people.office_officer)
    with on_day(SENT_ON):
        response = client.post(
            reverse("deliberation:consultation_close", args=[consultation.pk]),
            {"version": consultation.version},
        )
        assert response.status_code == 302
        again = client.post(
            reverse("deliberation:consultation_close", args=[consultation.pk]),
            {"version": consultation.version},
            follow=True,
        )
    assert again.status_code == 200
    assert "không ở trạng thái chờ tổng hợp" in again.content.decode()
    opinion = opinion_of(consultation, committee.member)
    client.force_login(committee.member)
    late = client.post(
        reverse("deliberation:opinion_give", args=[opinion.pk]),
        {"answer": "disagree", "comment": "x", "version": opinion.version},
        follow=True,
    )
    assert late.status_code == 200 and "Không thể cho ý kiến" in late.content.decode()


def test_the_lead_unit_records_a_take_in_through_the_page(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "disagree", "Chưa đánh giá tác động.")
    opinion = opinion_of(consultation, committee.member)
    client.force_login(people.unit_head)
    later = DEADLINE + datetime.timedelta(days=1)
    with on_day(later):
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "Chưa đánh giá tác động." in page
        response = client.post(
            reverse("deliberation:opinion_respond", args=[opinion.pk]),
            {
                f"r{opinion.pk}-kind": "explained",
                f"r{opinion.pk}-text": "Đã có báo cáo đánh giá.",
                f"r{opinion.pk}-version": 0,
            },
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Opinion.objects.get(pk=opinion.pk).response.kind == "explained"


def crowd(org: Org, people: People, committee: Committee, count: int) -> None:
    for number in range(count):
        consultation = sent(org, people, title=f"Dự thảo số {number}")
        answer(consultation, committee.member, "agree_with_comments", f"Ý kiến {number}")


@pytest.mark.parametrize("count", [1, 6])
def test_the_pages_stay_within_their_query_budget(
    client: Client,
    org: Org,
    people: People,
    committee: Committee,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(count):
        person(f"tv{number}", org.province, Role.COMMITTEE_MEMBER, full_name=f"Thành viên {number}")
    crowd(org, people, committee, count)
    consultation = Consultation.objects.first()
    assert consultation is not None
    for user in (people.office_officer, committee.member, committee.vice, people.unit_head):
        client.force_login(user)
        with on_day(SENT_ON), django_assert_max_num_queries(12):
            assert client.get(reverse("deliberation:consultation_list")).status_code == 200
        with on_day(DEADLINE + datetime.timedelta(days=1)), django_assert_max_num_queries(22):
            assert client.get(consultation.get_absolute_url()).status_code == 200
    for user in (people.office_officer, committee.chairman):
        client.force_login(user)
        with on_day(SENT_ON), django_assert_max_num_queries(12):
            assert (
                client.get(reverse("deliberation:punctuality"), {"year": "2024", "period": "q4"}).status_code
                == 200
            )


def test_the_office_enters_a_paper_answer_to_a_secret_draft_through_the_page(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people, is_secret=True)
    opinion = opinion_of(consultation, committee.chairman)
    client.force_login(committee.chairman)
    with on_day(SENT_ON):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert "phiếu ý kiến bằng giấy" in page and 'name="answer"' not in page
    client.force_login(people.office_officer)
    prefix = f"o{opinion.pk}"
    with on_day(SENT_ON):
        response = client.post(
            reverse("deliberation:opinion_enter", args=[opinion.pk]),
            {
                f"{prefix}-answer": "disagree",
                f"{prefix}-comment": "Theo phiếu giấy.",
                f"{prefix}-version": opinion.version,
            },
        )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.answer, opinion.entered_by) == ("disagree", people.office_officer)


def test_the_office_forms_stay_within_their_query_budget(
    client: Client, org: Org, people: People, committee: Committee, django_assert_max_num_queries: Any
) -> None:
    from tests.deliberation.factories import draft

    waiting = draft(org, people)
    client.force_login(people.office_officer)
    with on_day(SENT_ON):
        for url, ceiling in (
            (reverse("deliberation:consultation_create"), 14),
            (reverse("deliberation:consultation_send", args=[waiting.pk]), 14),
            (reverse("deliberation:settings"), 12),
            (waiting.get_absolute_url(), 16),
        ):
            with django_assert_max_num_queries(ceiling):
                assert client.get(url).status_code == 200, url


def test_the_office_sees_a_changed_answer_and_downloads_the_result_sheet(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    answer(consultation, committee.member, "disagree", "Đổi ý: chưa đủ căn cứ.")
    client.force_login(people.office_officer)
    with on_day(SENT_ON):
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "đã cho ý kiến 2 lần" in page
        docx = client.get(reverse("deliberation:result_sheet_docx", args=[consultation.pk]))
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in docx["Content-Disposition"]


def test_the_punctuality_page_opens_on_the_users_own_committee(
    client: Client, org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    client.force_login(people.office_officer)  # the province's Office, which also covers the district
    with on_day(DEADLINE + datetime.timedelta(days=1)):
        page = client.get(
            reverse("deliberation:punctuality"), {"year": "2024", "period": "m10"}
        ).content.decode()
        settings_page = client.get(reverse("deliberation:settings")).content.decode()
    assert org.province.name in page and committee.member.full_name in page
    assert f"<h2>{org.province.name}</h2>" in settings_page
