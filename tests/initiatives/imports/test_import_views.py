"""The import pages: seed 000 becomes a draft with its three authors; seed 001 (no authors
table) shows what was read and creates a draft only with an explicitly confirmed stand-in
author; the second file of the same initiative fills the first one's draft; who may open
which page; bad files; query ceilings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from caicach.core.models import AuditEvent, Role, User
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.initiatives.imports.services import PLACEHOLDER_CONTRIBUTION
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative, InitiativeKind
from tests.conftest import PASSWORD, Org, People
from tests.core.factories import person
from tests.initiatives.factories import (
    SEED_000,
    SEED_001,
    docx_from_text,
    make_draft,
    open_campaign,
    seed_authors,
    seed_bytes,
    seed_text,
)

TITLE_001 = (
    "Chỉ thị của Chủ tịch UBND tỉnh về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
)
TITLE_000 = "Chỉ thị về việc nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"
IMPORT_URL = reverse("initiatives:initiative_import")


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def report_docx() -> SimpleUploadedFile:
    return SimpleUploadedFile("Báo cáo hiệu quả.docx", docx_from_text(seed_text(SEED_000)))


def description_txt() -> SimpleUploadedFile:
    return SimpleUploadedFile("Thuyết minh.txt", seed_bytes(SEED_001), content_type="text/plain")


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def into_url(initiative: Initiative) -> str:
    return reverse("initiatives:initiative_import_into", args=[initiative.pk])


# --- New drafts -------------------------------------------------------------------------------


def test_a_new_draft_must_name_its_campaign(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    """A draft outside any campaign would never reach a council."""
    login(client, people.unit_staff)

    response = client.post(IMPORT_URL, {"file": report_docx(), "unit": org.science.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["campaign"] == ["Vui lòng chọn đợt phát động để gửi hồ sơ."]
    assert not Initiative.objects.exists()


def test_staff_importing_the_report_get_a_draft_with_its_authors_30_30_40_at_positions_1_2_3(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    login(client, people.unit_staff)

    response = client.post(
        IMPORT_URL, {"file": report_docx(), "unit": org.science.pk, "campaign": campaign.pk}
    )

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:initiative_edit", args=[initiative.pk])
    assert initiative.status == "draft"
    assert initiative.kind == InitiativeKind.SOLUTION
    assert initiative.campaign == campaign
    assert initiative.unit == org.science
    assert initiative.created_by == people.unit_staff
    assert initiative.title == TITLE_000
    assert initiative.first_applied_on == datetime.date(2024, 2, 29)
    assert initiative.essence.startswith("Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi")
    authors = list(initiative.authorships.order_by("position"))
    assert [a.position for a in authors] == [1, 2, 3]
    assert [a.share for a in authors] == [Decimal(30), Decimal(30), Decimal(40)]
    assert [a.full_name for a in authors] == ["Lê Tuấn Phú", "Nguyễn Phương Thảo", "Đông Thị Huệ"]
    assert [a.is_lead for a in authors] == [False, False, True]
    assert authors[1].date_of_birth == datetime.date(1982, 7, 3)
    assert authors[1].job_title == "Trưởng phòng Tổng hợp"
    shown = messages_of(response)
    assert "Số thứ tự trong bảng tác giả của tệp là 1, 2, 2; đã đánh số lại 1, 2, 3." in shown
    assert "Tác giả chính: Đông Thị Huệ (người ký “Đại diện nhóm tác giả”)." in shown
    assert any("Về hiệu quả áp dụng" in m for m in shown)  # the report's parts not imported are said
    event = AuditEvent.objects.get(action="initiative.import")
    assert event.object_id == str(initiative.pk)
    assert "Báo cáo hiệu quả.docx" in event.message
    assert AuditEvent.objects.filter(action="initiative.create", object_id=str(initiative.pk)).exists()


def test_the_description_without_authors_shows_what_was_read_and_creates_nothing(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    login(client, people.unit_staff)

    response = client.post(
        IMPORT_URL, {"file": description_txt(), "unit": org.science.pk, "campaign": campaign.pk}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "initiatives/imports/result.html"
    page = response.content.decode()
    assert "Tệp không có bảng tác giả." in page
    assert TITLE_001 in page
    assert "Bảng tác giả (họ tên, ngày sinh, nơi công tác, chức danh, trình độ, tỷ lệ đóng góp)" in page
    assert "tạm ghi Nguyễn Thị Cán Bộ là tác giả duy nhất, tác giả chính, 100%" in page
    assert not Initiative.objects.exists()


def test_the_stand_in_author_is_used_only_once_the_user_confirms(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    login(client, people.unit_staff)
    result = client.post(
        IMPORT_URL, {"file": description_txt(), "unit": org.science.pk, "campaign": campaign.pk}
    )
    token = result.context["confirm_form"].initial["token"]

    unconfirmed = client.post(IMPORT_URL, {"token": token})
    assert unconfirmed.status_code == 302
    assert not Initiative.objects.exists()
    assert "Vui lòng đánh dấu xác nhận trước khi tạo hồ sơ." in messages_of(unconfirmed)

    forged = client.post(IMPORT_URL, {"token": "not-the-token", "confirm": "on"})
    assert not Initiative.objects.exists()
    assert "Phiên nhập tệp đã hết hạn. Vui lòng tải tệp lên lại." in messages_of(forged)

    confirmed = client.post(IMPORT_URL, {"token": token, "confirm": "on"})

    initiative = Initiative.objects.get()
    assert confirmed["Location"] == reverse("initiatives:initiative_edit", args=[initiative.pk])
    assert initiative.title == TITLE_001
    assert initiative.confidential_info == "Không"
    assert initiative.previous_solution.startswith("Trách nhiệm của một số cơ quan trong phối hợp")
    assert initiative.results.startswith("Kỷ luật, kỷ cương trong việc thực hiện quy chế làm việc")
    assert initiative.benefits.endswith(
        "trình các nội dung, đề án trong chương trình công tác của UBND tỉnh."
    )
    (author,) = initiative.authorships.all()
    assert author.user == people.unit_staff
    assert author.full_name == "Nguyễn Thị Cán Bộ"
    assert author.share == Decimal(100)
    assert author.is_lead
    assert author.contribution == PLACEHOLDER_CONTRIBUTION
    shown = messages_of(confirmed)
    assert any("tạm ghi bạn là tác giả duy nhất" in m for m in shown)
    assert any("Chưa tìm thấy trong tệp" in m and "Bảng tác giả" in m for m in shown)

    # The pending import is used up: the same token cannot create a second draft.
    client.post(IMPORT_URL, {"token": token, "confirm": "on"})
    assert Initiative.objects.count() == 1


def test_the_report_imported_into_the_description_draft_fills_only_what_is_empty(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    login(client, people.unit_staff)
    result = client.post(
        IMPORT_URL, {"file": description_txt(), "unit": org.science.pk, "campaign": campaign.pk}
    )
    client.post(IMPORT_URL, {"token": result.context["confirm_form"].initial["token"], "confirm": "on"})
    initiative = Initiative.objects.get()
    steps_before = initiative.solution_steps

    response = client.post(into_url(initiative), {"file": report_docx(), "version": initiative.version})

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == TITLE_001  # kept: the draft had one
    assert initiative.solution_steps == steps_before
    assert initiative.essence.startswith("Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi")
    authors = list(initiative.authorships.order_by("position"))
    assert [(a.position, a.full_name, a.share, a.is_lead) for a in authors] == [
        (1, "Lê Tuấn Phú", Decimal(30), False),
        (2, "Nguyễn Phương Thảo", Decimal(30), False),
        (3, "Đông Thị Huệ", Decimal(40), True),
    ]
    shown = messages_of(response)
    assert any("giữ nguyên" in m and "Tên sáng kiến" in m for m in shown)
    assert any("Đã nhập bảng tác giả (3 người)" in m for m in shown)


def test_choosing_a_draft_on_the_upload_page_imports_into_it(
    client: Client, org: Org, people: People
) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science, data={"previous_solution": ""})
    login(client, people.unit_staff)

    response = client.post(IMPORT_URL, {"file": description_txt(), "target": draft.pk})

    assert response.status_code == 302
    assert Initiative.objects.count() == 1
    draft.refresh_from_db()
    assert draft.previous_solution.startswith("Trách nhiệm của một số cơ quan trong phối hợp")
    assert draft.confidential_info == "Không"


def test_a_draft_with_real_authors_keeps_them_and_its_own_text(
    client: Client, org: Org, people: People
) -> None:
    draft = make_draft(
        actor=people.unit_staff,
        unit=org.science,
        authors=[{**seed_authors()[0], "share": Decimal(100), "is_lead": True}],
    )
    login(client, people.unit_staff)

    response = client.post(into_url(draft), {"file": report_docx(), "version": draft.version})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [(a.full_name, a.share) for a in draft.authorships.all()] == [("Lê Tuấn Phú", Decimal(100))]
    # make_draft wrote its own essence: the file's stays out.
    assert draft.essence == "Sáng kiến tập trung vào việc nâng cao hiệu quả thực thi Quy chế làm việc."
    assert "Hồ sơ đã có bảng tác giả nên được giữ nguyên." in messages_of(response)


def test_a_stale_version_changes_nothing(client: Client, org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science, data={"necessity": ""})
    login(client, people.unit_staff)

    response = client.post(into_url(draft), {"file": description_txt(), "version": draft.version - 1})

    assert response.status_code == 200
    assert str(STALE_EDIT_MESSAGE) in response.content.decode()
    draft.refresh_from_db()
    assert draft.necessity == ""


def test_an_experience_draft_is_refused(client: Client, org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science, kind=InitiativeKind.EXPERIENCE)
    login(client, people.unit_staff)

    response = client.post(into_url(draft), {"file": description_txt(), "version": draft.version})

    assert response.status_code == 200
    assert "Chỉ nhập được vào hồ sơ loại" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_disguised_file_is_refused_on_the_form(client: Client, org: Org, people: People) -> None:
    login(client, people.unit_staff)
    fake = SimpleUploadedFile("thuyet-minh.docx", b"MZ\x90\x00 this is a program")

    response = client.post(IMPORT_URL, {"file": fake, "unit": org.science.pk})

    assert response.status_code == 200
    assert "không phải văn bản Word" in response.content.decode()
    assert not Initiative.objects.exists()


def test_a_campaign_closed_after_the_page_was_shown_is_refused(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    login(client, people.unit_staff)
    form_page = client.get(IMPORT_URL)
    assert campaign in form_page.context["form"].fields["campaign"].queryset
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)

    response = client.post(
        IMPORT_URL, {"file": report_docx(), "unit": org.science.pk, "campaign": campaign.pk}
    )

    assert response.status_code == 200
    assert "campaign" in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_staff_may_not_import_for_another_unit(client: Client, org: Org, people: People) -> None:
    login(client, people.unit_staff)

    response = client.post(IMPORT_URL, {"file": report_docx(), "unit": org.other_commune.pk})

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Initiative.objects.exists()


# --- Who may open what -------------------------------------------------------------------------

UPLOAD_PAGE = {
    "unit_staff": 200,
    "unit_head": 200,
    "admin": 200,
    "outsider": 200,  # staff of their own commune: they import for it
    "reform_officer": 404,
    "council_member": 404,
    "leader": 404,
}


@pytest.mark.parametrize(("persona", "expected"), UPLOAD_PAGE.items())
def test_the_upload_page_is_for_those_who_create_dossiers(
    client: Client, people: People, persona: str, expected: int
) -> None:
    login(client, getattr(people, persona))

    assert client.get(IMPORT_URL).status_code == expected


INTO_PAGE = {
    "unit_staff": 200,  # the author
    "co_author": 200,
    "admin": 200,
    "unit_head": 404,  # sees the dossier, does not edit it
    "colleague": 404,
    "reform_officer": 404,
    "council_member": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("persona", "expected"), INTO_PAGE.items())
def test_importing_into_a_draft_is_for_those_who_may_edit_it(
    client: Client, org: Org, people: People, persona: str, expected: int
) -> None:
    co_author = person("dongtacgia", org.science, Role.UNIT_STAFF, full_name="Đông Thị Huệ")
    colleague = person("dongnghiep", org.science, Role.UNIT_STAFF, full_name="Đồng Nghiệp")
    draft = make_draft(actor=people.unit_staff, unit=org.science, authors=seed_authors(co_author))
    user = {"co_author": co_author, "colleague": colleague}.get(persona) or getattr(people, persona)
    login(client, user)

    assert client.get(into_url(draft)).status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client: Client, org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science)

    for url in (IMPORT_URL, into_url(draft)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_an_outsider_cannot_import_into_someone_elses_draft(client: Client, org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science, data={"necessity": ""})
    login(client, people.outsider)

    direct = client.post(into_url(draft), {"file": description_txt(), "version": draft.version})
    via_upload = client.post(IMPORT_URL, {"file": description_txt(), "target": draft.pk})

    assert direct.status_code == 404
    assert via_upload.status_code == 200  # the draft is not among their choices
    assert "target" in via_upload.context["form"].errors
    draft.refresh_from_db()
    assert draft.necessity == ""
    assert draft.version == 1
    assert not AuditEvent.objects.filter(action="initiative.import").exists()


# --- Query ceilings ----------------------------------------------------------------------------


def test_the_upload_page_does_not_grow_with_drafts_and_campaigns(
    client: Client, org: Org, people: People, campaign: Campaign, django_assert_max_num_queries: object
) -> None:
    for _ in range(12):
        make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)
    login(client, people.unit_staff)

    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(IMPORT_URL)

    assert response.status_code == 200
    assert len(response.context["form"].fields["target"].queryset) == 12


def test_the_import_into_page_does_not_grow_with_authors(
    client: Client, org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    authors = [
        {**seed_authors()[0], "full_name": f"Tác Giả {i}", "share": Decimal(4), "is_lead": i == 0}
        for i in range(25)
    ]
    draft = make_draft(actor=people.unit_staff, unit=org.science, authors=authors)
    login(client, people.unit_staff)

    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(into_url(draft))

    assert response.status_code == 200


# --- The link partial --------------------------------------------------------------------------


def _render_link(user: User, **context: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("initiatives/imports/_link.html", context, request=request)


def test_the_link_is_offered_to_those_who_may_import(org: Org, people: People, campaign: Campaign) -> None:
    staff_link = _render_link(people.unit_staff, campaign=campaign)
    assert f'href="{IMPORT_URL}?campaign={campaign.pk}"' in staff_link
    assert "Nhập từ tệp .docx/.txt" in staff_link
    assert _render_link(people.reform_officer).strip() == ""


def test_on_a_draft_the_link_imports_into_it_for_its_author_only(org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science)

    assert f'href="{into_url(draft)}"' in _render_link(people.unit_staff, initiative=draft)
    assert _render_link(people.unit_head, initiative=draft).strip() == ""
