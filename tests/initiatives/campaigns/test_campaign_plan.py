"""The campaign plan of seed 002: rendered from data, issued with a number, downloaded by
the people allowed to see it."""

from __future__ import annotations

import datetime
import io
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from caicach.core import clock, rendering
from caicach.core.issuing import EXPECTED_FIELD
from caicach.core.models import AuditEvent, Role, Unit
from caicach.core.permissions import can
from caicach.initiatives.campaigns.documents import campaign_plan_spec
from caicach.initiatives.campaigns.services import campaign_create, campaign_publish, campaign_update
from caicach.initiatives.demo import SEED_CAMPAIGN, SEED_TITLE, load_seed_campaign
from caicach.initiatives.models import Campaign, CampaignStatus
from tests.conftest import Org, People
from tests.core.factories import person, take_number
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_signature_with_body, pdf_text, printed, text_faults
from tests.issuing import confirm_issue, offered_reference

ISSUED = datetime.date(2024, 5, 10)


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(lines)


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.district,
        receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune],
        signer_name="Nguyễn Văn Thành",
        issued_on=ISSUED,
    )


@pytest.fixture
def draft(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune],
    )  # fmt: skip


def plan_url(campaign: Campaign) -> str:
    return reverse("initiatives:campaign_plan", kwargs={"pk": campaign.pk})


def pdf_url(campaign: Campaign) -> str:
    return reverse("initiatives:campaign_plan_pdf", kwargs={"pk": campaign.pk})


def detail_url(campaign: Campaign) -> str:
    return reverse("initiatives:campaign_detail", kwargs={"pk": campaign.pk})


# --- The document -----------------------------------------------------------------------------


def test_the_issued_plan_passes_the_decree_30_checker(campaign: Campaign, tmp_path: Path) -> None:
    assert_passes_decree30(rendering.render_docx(campaign_plan_spec(campaign)), tmp_path)


def test_the_participants_and_the_minimum_read_as_two_sentences(draft: Campaign, people: People) -> None:
    draft = campaign_update(
        campaign=draft, actor=people.admin, version=draft.version,
        data={"participants": "Các phòng, ban, ngành huyện và các cơ quan"},
    )  # fmt: skip
    text = text_of(rendering.render_docx(campaign_plan_spec(draft)))
    assert "các cơ quan. Mỗi cơ quan, đơn vị, địa phương đề xuất ít nhất 1 sáng kiến" in text
    assert text_faults(text, issued=False) == []


def test_the_issued_plan_prints_its_signature_on_one_page_with_the_body(campaign: Campaign) -> None:
    assert_signature_with_body(
        printed(rendering.render_docx(campaign_plan_spec(campaign))),
        heading=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), name="Nguyễn Văn Thành",
        closing="trên địa bàn huyện Châu Thành./.",
    )  # fmt: skip


def test_the_plan_reproduces_seed_002(campaign: Campaign) -> None:
    text = text_of(rendering.render_docx(campaign_plan_spec(campaign)))
    for expected in (
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH",
        "Số: 01/KH-UBND",
        "Châu Thành, ngày 10 tháng 5 năm 2024",
        "KẾ HOẠCH\n" + SEED_TITLE,
        "Thực hiện Quyết định số 299/QĐ-UBND ngày 02/02/2024 của Ủy ban nhân dân huyện Châu Thành",
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nhằm phát huy tính năng động",
        "II. NỘI DUNG YÊU CẦU, ĐỐI TƯỢNG, THỜI GIAN\n1. Yêu cầu:",
        "2. Đối tượng phát động tham gia giải pháp, sáng kiến:",
        "Mỗi cơ quan, đơn vị, địa phương đề xuất ít nhất 1 sáng kiến, giải pháp về công tác CCHC",
        "3. Nội dung giải pháp, sáng kiến:\na) Phần trình bày:",
        "b) Phần sáng kiến, giải pháp:",
        "4. Thời gian gửi sáng kiến, giải pháp:\n- Thời gian gửi sáng kiến, giải pháp từ ngày 15/5/2024 "
        "đến hết ngày 25/6/2024.",
        "(qua Phòng Nội vụ huyện Châu Thành) địa chỉ email: phongnv-cth@tayninh.gov.vn.",
        "- Hình thức gửi bằng văn bản giấy có đóng thành tập và file mềm.",
        "III. TỔ CHỨC THỰC HIỆN\n1. Phòng Nội vụ huyện:\nTheo dõi triển khai",
        "3. Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội huyện",
        "Trên đây là Kế hoạch Phát động sáng kiến, giải pháp trong công tác cải cách hành chính trên địa "
        "bàn huyện Châu Thành./.",
        "Nơi nhận:\n- Sở Nội vụ;\n- VP UBND tỉnh;",
        "- UBND các xã, thị trấn;\n- Lưu: VT, PNV.",
        # The committee's plan, signed by a vice-chairman for the chairman.
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
    ):
        assert expected in text, expected
    # The participants' last line and the minimum are two sentences, never run together.
    assert text_faults(text) == []


def test_the_plan_follows_the_data_not_a_template(
    campaign: Campaign, draft: Campaign, people: People
) -> None:
    draft = campaign_update(
        campaign=draft, actor=people.admin, version=draft.version,
        data={"min_initiatives_per_unit": 2, "window_end": datetime.date(2024, 7, 1)},
    )  # fmt: skip
    text = text_of(rendering.render_docx(campaign_plan_spec(draft)))
    assert "ít nhất 2 sáng kiến" in text
    assert "từ ngày 15/5/2024 đến hết ngày 01/7/2024" in text
    # Not yet issued: no number, no day.
    assert "Số:       /KH-UBND" in text
    assert "Châu Thành, ngày      tháng      năm 2024" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_turns_the_plan_into_a_pdf_with_exact_vietnamese(campaign: Campaign) -> None:
    text = pdf_text(rendering.render_pdf(rendering.render_docx(campaign_plan_spec(campaign))))
    for expected in (
        "KẾ HOẠCH",
        "Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024",
        "Châu Thành, ngày 10 tháng 5 năm 2024",
        "Độc lập - Tự do - Hạnh phúc",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/KH-UBND",
        "Lưu: VT, PNV.",
    ):
        assert expected in text, expected


def test_the_reportlab_fallback_keeps_the_diacritics(campaign: Campaign, settings: Any) -> None:
    if rendering.find_serif_font() is None:
        pytest.skip("no Vietnamese-capable serif font on this machine")
    settings.SOFFICE_BINARY = "caicach-no-such-soffice"
    text = pdf_text(rendering.render(campaign_plan_spec(campaign), "pdf").content)
    for expected in ("KẾ HOẠCH", "Châu Thành, ngày 10 tháng 5 năm 2024", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text, expected


# --- Services -----------------------------------------------------------------------------------


def test_publishing_takes_the_next_kh_number_and_is_audited(
    draft: Campaign, people: People, org: Org
) -> None:
    from caicach.core.numbering import register_number

    register_number(
        unit=org.district, document_type="KH", year=2024, title="Kế hoạch khác", issued_on=ISSUED, actor=None
    )
    issued = campaign_publish(campaign=draft, actor=people.reform_officer, issued_on=ISSUED)
    assert issued.status == CampaignStatus.PUBLISHED
    assert issued.registered_document is not None
    assert issued.registered_document.reference == "02/KH-UBND"
    assert issued.registered_document.object_id == str(issued.pk)
    assert issued.issued_on == ISSUED
    assert issued.version == draft.version + 1
    assert AuditEvent.objects.filter(action="campaign.publish", object_id=str(issued.pk)).exists()
    assert AuditEvent.objects.filter(action="document.number").count() == 2


def test_a_plan_is_published_only_once(campaign: Campaign, people: People) -> None:
    with pytest.raises(ValidationError, match="đã được ban hành"):
        campaign_publish(campaign=campaign, actor=people.admin, issued_on=ISSUED)


def test_a_stale_edit_is_refused(draft: Campaign, people: People) -> None:
    campaign_update(campaign=draft, actor=people.admin, version=draft.version, data={"contact": "a@b.vn"})
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        campaign_update(campaign=draft, actor=people.admin, version=draft.version, data={"contact": "c@d.vn"})
    draft.refresh_from_db()
    assert draft.contact == "a@b.vn"


def test_an_issued_plan_cannot_be_edited(campaign: Campaign, people: People) -> None:
    with pytest.raises(ValidationError, match="đã ban hành"):
        campaign_update(
            campaign=campaign, actor=people.admin, version=campaign.version, data={"contact": "x@y.vn"}
        )


def test_an_edit_is_audited_with_before_and_after(draft: Campaign, people: People, org: Org) -> None:
    campaign_update(
        campaign=draft, actor=people.admin, version=draft.version,
        data={"contact": "pnv@chauthanh.vn", "eligible_units": [org.commune, org.other_commune]},
    )  # fmt: skip
    event = AuditEvent.objects.filter(action="campaign.update").get()
    assert event.changes["contact"] == ["phongnv-cth@tayninh.gov.vn", "pnv@chauthanh.vn"]
    assert event.changes["eligible_units"] == [
        [org.commune.pk],
        sorted([org.commune.pk, org.other_commune.pk]),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"window_end": datetime.date(2024, 5, 1)}, "window_end"),
        ({"min_initiatives_per_unit": 0}, "min_initiatives_per_unit"),
        ({"recipients": "Sở Nội vụ;\nUBND các xã;"}, "recipients"),
        ({"implementation": [{"heading": "", "duties": "x"}]}, "implementation"),
        ({"title": "  "}, "title"),
    ],
)
def test_it_rejects_an_incomplete_or_inconsistent_plan(
    org: Org, people: People, change: dict[str, object], field: str
) -> None:
    data = {
        **SEED_CAMPAIGN,
        "issuing_unit": org.district,
        "receiving_unit": org.district_home_affairs,
        **change,
    }
    with pytest.raises(ValidationError) as caught:
        campaign_create(actor=people.admin, data=data)
    assert field in caught.value.message_dict
    assert not Campaign.objects.exists()


def test_decomposed_text_is_stored_nfc(org: Org, people: People) -> None:
    title = unicodedata.normalize("NFD", "Phát động sáng kiến năm 2025")
    data = {**SEED_CAMPAIGN, "title": title, "issuing_unit": org.district, "receiving_unit": org.district}
    created = campaign_create(actor=people.admin, data=data)
    created.refresh_from_db()
    assert created.title == unicodedata.normalize("NFC", title)


# --- Rules and pages --------------------------------------------------------------------------


@pytest.fixture
def district_people(org: Org) -> dict[str, Any]:
    return {
        "district_officer": person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER),
        "district_staff": person("cbhuyen", org.district, Role.UNIT_STAFF),
        "commune_staff": person("cbxa", org.commune, Role.UNIT_STAFF),
        "other_officer": person("cvxakhac", org.other_commune, Role.REFORM_OFFICER),
    }


def test_who_may_view_and_change(
    campaign: Campaign, draft: Campaign, people: People, district_people: dict[str, Any]
) -> None:
    assert can(people.admin, "view", draft) and can(people.admin, "change", draft)
    # The province's Department of Home Affairs oversees every unit of the province.
    assert can(people.reform_officer, "view", draft) and can(people.reform_officer, "change", draft)
    assert can(district_people["district_officer"], "change", draft)
    # A reform officer of another commune's committee is outside the district's jurisdiction.
    assert not can(district_people["other_officer"], "view", draft)
    assert not can(district_people["other_officer"], "change", campaign)
    assert can(district_people["district_staff"], "view", draft)
    assert not can(district_people["district_staff"], "change", draft)
    # Eligible units see the campaign once it is issued, not while it is a draft.
    assert not can(district_people["commune_staff"], "view", draft)
    assert can(district_people["commune_staff"], "view", campaign)
    assert not can(people.outsider, "view", campaign)
    assert not can(people.unit_staff, "view", campaign)


def test_anonymous_users_are_sent_to_log_in(client: Client, campaign: Campaign) -> None:
    for response in (
        client.get(detail_url(campaign)),
        client.get(plan_url(campaign)),
        client.post(pdf_url(campaign)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_outsider_gets_404(client: Client, campaign: Campaign, people: People) -> None:
    client.force_login(people.outsider)
    for url in (detail_url(campaign), plan_url(campaign)):
        assert client.get(url).status_code == 404
    assert client.post(pdf_url(campaign)).status_code == 404
    assert client.post(reverse("initiatives:campaign_publish", kwargs={"pk": campaign.pk})).status_code == 404


def test_an_unknown_campaign_is_404(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("initiatives:campaign_detail", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "reform_officer", "commune_staff", "district_staff"])
def test_allowed_people_download_the_plan_as_docx(
    client: Client, campaign: Campaign, people: People, district_people: dict[str, Any], persona: str,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    user = district_people.get(persona) or getattr(people, persona)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get(plan_url(campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
    assert 'filename="KH-01-2024-phat-dong-sang-kien.docx"' in response["Content-Disposition"]
    assert "Số: 01/KH-UBND" in text_of(response.content)


def test_the_detail_page_has_a_fixed_query_budget(
    client: Client,
    campaign: Campaign,
    people: People,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.admin)
    client.get(detail_url(campaign))
    # Committed: the kept counts are forgotten (caicach.core.choices).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        campaign.eligible_units.add(
            *[
                Unit.objects.create(code=f"X{i:03d}", name=f"UBND xã {i}", kind="commune_committee")
                for i in range(30)
            ]
        )
    with django_assert_max_num_queries(18):
        response = client.get(detail_url(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert SEED_TITLE in body
    assert "UBND xã 29" in body
    assert "01/KH-UBND" in body


def test_the_office_of_the_issuing_unit_publishes_from_the_detail_page(
    client: Client, draft: Campaign, district_people: dict[str, Any]
) -> None:
    officer = district_people["district_officer"]
    client.force_login(officer)
    page = client.get(detail_url(draft))
    assert reverse("initiatives:campaign_publish", kwargs={"pk": draft.pk}) in page.content.decode()
    response = confirm_issue(
        client, reverse("initiatives:campaign_publish", kwargs={"pk": draft.pk}), follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.PUBLISHED
    assert "Đã ban hành Kế hoạch số 01/KH-UBND" in response.content.decode()


def test_staff_who_may_only_view_cannot_publish(
    client: Client, draft: Campaign, district_people: dict[str, Any]
) -> None:
    client.force_login(district_people["district_staff"])
    assert client.post(reverse("initiatives:campaign_publish", kwargs={"pk": draft.pk})).status_code == 404
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.DRAFT


def test_a_department_header_names_its_committee(org: Org) -> None:
    body = rendering.issuing_body_for(Unit.objects.select_related("parent").get(pk=org.home_affairs.pk))
    assert (body.superior, body.name) == ("UBND TỈNH TÂY NINH", "SỞ NỘI VỤ")
    assert rendering.issuing_body_for(org.district).name == "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH"


def test_a_committee_spelt_uy_gets_the_same_header_and_abbreviation(org: Org, people: People) -> None:
    issuer = Unit.objects.create(
        code="CTH2", name="Uỷ ban nhân dân huyện Châu Thành", kind="district_committee", parent=org.province,
        document_symbol="UBND",
    )  # fmt: skip
    campaign = load_seed_campaign(
        actor=people.admin, issuing_unit=issuer, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune], issued_on=ISSUED,
    )  # fmt: skip
    spec = campaign_plan_spec(campaign)
    assert spec.issuing_body == rendering.IssuingBody(name="ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH")
    text = text_of(rendering.render_docx(spec))
    assert "gửi sáng kiến, giải pháp cải cách hành chính về UBND huyện Châu Thành (qua" in text
    assert "UỶ BAN" not in text


# --- Issuing the plan: a draft, then a confirmation naming the number ------------------------------


def test_the_publish_link_shows_the_number_it_will_take_and_takes_none(
    client: Client, draft: Campaign, district_people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client.force_login(district_people["district_officer"])
    url = reverse("initiatives:campaign_publish", kwargs={"pk": draft.pk})
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert offered_reference(page) == "01/KH-UBND"
    assert "không thể thu hồi" in body and plan_url(draft) in body  # what happens; the draft to read
    assert f'action="{pdf_url(draft)}"' in body  # and its PDF, made in the background
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.DRAFT and draft.registered_document is None


def test_a_number_taken_meanwhile_is_said_and_asked_again(
    client: Client, draft: Campaign, org: Org, district_people: dict[str, Any]
) -> None:
    client.force_login(district_people["district_officer"])
    url = reverse("initiatives:campaign_publish", kwargs={"pk": draft.pk})
    shown = offered_reference(client.get(url))
    take_number(org.district, clock.today())  # another plan issued in between
    response = client.post(url, {EXPECTED_FIELD: shown})
    assert response.status_code == 409
    assert "vừa được cấp cho một văn bản khác" in response.content.decode()
    assert offered_reference(response) == "02/KH-UBND"
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.DRAFT
    response = client.post(url, {EXPECTED_FIELD: offered_reference(response)}, follow=True)
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.PUBLISHED
    assert "Đã ban hành Kế hoạch số 02/KH-UBND" in response.content.decode()


def test_publishing_an_issued_plan_again_says_so_on_its_page(
    client: Client, campaign: Campaign, people: People
) -> None:
    client.force_login(people.admin)
    response = client.get(reverse("initiatives:campaign_publish", kwargs={"pk": campaign.pk}), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(campaign)
    assert "Kế hoạch này đã được ban hành." in response.content.decode()


def test_closing_a_campaign_closed_in_another_tab_says_so_on_its_page(
    client: Client, campaign: Campaign, people: People
) -> None:
    client.force_login(people.admin)
    url = reverse("initiatives:campaign_close", kwargs={"pk": campaign.pk})
    assert client.post(url, {"version": campaign.version}).status_code == 302
    response = client.post(url, {"version": campaign.version}, follow=True)  # the stale tab
    assert response.redirect_chain[-1][0] == detail_url(campaign)
    assert "message-error" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
