"""The public showcase: anyone, without logging in, finds the province's published practices
and recognised initiatives (without typing accents), reads how to implement a practice and
who applied it with what results, and sees nothing private; each reader counts once a day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import ReformField, ReformIndex
from caicach.core.text import fold
from caicach.initiatives.dossiers.services import refresh_search_text
from caicach.initiatives.models import Campaign, Certificate, Initiative, RecognitionLevel
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    recognition_decision_issue,
)
from caicach.replication.models import (
    AdoptionEvidence,
    AdoptionResult,
    AdoptionStatus,
    Practice,
    PracticeAttachment,
    PracticeRead,
    PracticeStatus,
)
from caicach.replication.showcase import services
from tests.conftest import Org, People
from tests.initiatives.factories import DECISION_DAY, dossier, issued_campaign, outcome
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

INDEX = reverse("showcase:index")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36"
SEED_NAME = "Ngày thứ bảy lắng nghe dân nói"
LIST_CEILING = 8
# The page, its fields, indices and attachments; the counter (two savepoints, the insert, the
# update); the applied units (obligations, reports, results, evidence): the same for any size.
PRACTICE_CEILING = 14
INITIATIVE_CEILING = 6


def publish(org: Org, **fields: Any) -> Practice:
    values: dict[str, Any] = {"is_published": True, "published_at": clock.now()}
    values.update(fields)
    return make_practice(org, **values)


def practice_url(practice: Practice) -> str:
    return reverse("showcase:practice", args=[practice.pk])


def reader(**extra: Any) -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, **extra)


@pytest.fixture
def seed_practice(org: Org) -> Practice:
    return publish(
        org,
        name=SEED_NAME,
        implementation_steps="Thứ bảy hằng tuần, lãnh đạo UBND xã tiếp công dân tại trụ sở.",
        conditions="Có phòng tiếp công dân.",
        cost="Không phát sinh kinh phí.",
        contact="Văn phòng UBND xã, điện thoại 0270 3822 xxx.",
        proposal_note="GHI-CHU-DE-XUAT-NOI-BO",
        evaluation_note="Y-KIEN-DANH-GIA-NOI-BO",
    )


def test_an_anonymous_visitor_finds_a_practice_typing_without_accents(
    client: Client, seed_practice: Practice, org: Org
) -> None:
    publish(org, name="Một cửa liên thông hiện đại")
    response = client.get(INDEX, {"q": "ngay thu bay lang nghe dan noi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert SEED_NAME in html
    assert "Một cửa liên thông hiện đại" not in html
    assert "public" in response["Cache-Control"]


def test_unpublished_and_unaccepted_practices_are_neither_listed_nor_shown(client: Client, org: Org) -> None:
    hidden = make_practice(org, name="Mô hình chưa công khai")
    proposed = make_practice(org, name="Mô hình mới đề xuất", status=PracticeStatus.PROPOSED)
    html = client.get(INDEX).content.decode()
    assert "Mô hình chưa công khai" not in html and "Mô hình mới đề xuất" not in html
    assert client.get(practice_url(hidden)).status_code == 404
    assert client.get(practice_url(proposed)).status_code == 404


def test_the_list_filters_by_field_unit_and_year(client: Client, org: Org) -> None:
    field = ReformField.objects.create(code="showcase-test", name="Cải cách thủ tục hành chính")
    in_field = publish(org, name="Mô hình thuộc lĩnh vực")
    in_field.reform_fields.add(field)
    commune = publish(org, name="Mô hình của xã", origin_unit=org.commune)
    old = publish(org, name="Mô hình năm cũ", published_at=datetime.datetime(2021, 5, 1, tzinfo=datetime.UTC))
    html = client.get(INDEX, {"field": field.pk}).content.decode()
    assert in_field.name in html and commune.name not in html
    html = client.get(INDEX, {"unit": org.commune.pk}).content.decode()
    assert commune.name in html and in_field.name not in html
    index = ReformIndex.objects.create(code="showcase-papi", name="PAPI")
    commune.indices.add(index)
    html = client.get(INDEX, {"index": index.pk}).content.decode()
    assert commune.name in html and in_field.name not in html
    html = client.get(INDEX, {"year": 2021}).content.decode()
    assert old.name in html and commune.name not in html


def test_the_practice_page_shows_how_to_implement_it_and_who_applied_it_with_results(
    client: Client, seed_practice: Practice, org: Org, media: Any
) -> None:
    directive = make_directive(org)
    applied = make_obligation(directive, org.commune, seed_practice)
    report = make_report(applied, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    AdoptionResult.objects.create(
        report=report, indicator="Số kiến nghị được giải quyết", baseline=Decimal("12"), current=Decimal("48")
    )
    AdoptionEvidence.objects.create(
        report=report, name="anh-buoi-tiep-dan.jpg", is_public=True, file=ContentFile(b"x", name="a.jpg")
    )
    AdoptionEvidence.objects.create(
        report=report, name="bien-ban-noi-bo.pdf", is_public=False, file=ContentFile(b"x", name="b.pdf")
    )
    # The other unit's latest submitted report says it stopped: not listed as applying.
    stopped = make_obligation(directive, org.other_commune, seed_practice)
    make_report(stopped, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    make_report(
        stopped, datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), adoption_status=AdoptionStatus.STOPPED
    )
    PracticeAttachment.objects.create(
        practice=seed_practice,
        name="huong-dan-cong-khai.pdf",
        is_public=True,
        file=ContentFile(b"x", name="c.pdf"),
    )
    PracticeAttachment.objects.create(
        practice=seed_practice,
        name="du-thao-noi-bo.docx",
        is_public=False,
        file=ContentFile(b"x", name="d.docx"),
    )

    response = client.get(practice_url(seed_practice))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        SEED_NAME, "Thứ bảy hằng tuần", "Có phòng tiếp công dân.", "Không phát sinh kinh phí.",
        "0270 3822 xxx", org.district.name, "huong-dan-cong-khai.pdf", org.commune.name,
        "Số kiến nghị được giải quyết", "12", "48", "anh-buoi-tiep-dan.jpg", "Số lượt đọc",
    ):  # fmt: skip
        assert expected in html, expected
    for secret in (
        "du-thao-noi-bo.docx", "bien-ban-noi-bo.pdf", org.other_commune.name,
        "GHI-CHU-DE-XUAT-NOI-BO", "Y-KIEN-DANH-GIA-NOI-BO",
    ):  # fmt: skip
        assert secret not in html, secret
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


def recognise(campaign: Campaign, org: Org, people: People, **options: Any) -> Certificate:
    recognition = outcome(
        dossier(campaign, org.science, **options), recognised=True, level=RecognitionLevel.PROVINCIAL,
        mean_score="87.25", members_present=7, votes_for=6,
    )  # fmt: skip
    recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
    )  # fmt: skip
    recognition.refresh_from_db()
    return certificate_issue(recognition=recognition, actor=people.reform_officer)


def test_a_recognised_initiative_shows_its_authors_level_decision_and_certificate_link_but_nothing_private(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    certificate = recognise(campaign, org, people)
    initiative = certificate.recognition.initiative
    listed = client.get(INDEX).content.decode()
    assert initiative.title in listed
    response = client.get(reverse("showcase:initiative", args=[initiative.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in ("Lê Tuấn Phú", "Đông Thị Huệ", "Cấp tỉnh", "Số 01/QĐ-UBND",
                     reverse("verification:certificate", args=[certificate.verification_code])):  # fmt: skip
        assert expected in html, expected
    for secret in ("1967", "28/01", "Thạc sỹ", "87,25", "87.25", "Chánh Văn phòng", "Đóng góp vào nội dung"):
        assert secret not in html, secret
        assert secret not in listed, secret


def test_a_revoked_or_unrecognised_initiative_is_not_shown(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    certificate = recognise(campaign, org, people)
    certificate_revoke(certificate=certificate, actor=people.reform_officer, reason="Phát hiện sao chép.")
    url = reverse("showcase:initiative", args=[certificate.recognition.initiative_id])
    assert client.get(url).status_code == 404
    refused = outcome(dossier(campaign, org.science), recognised=False, reasons="Chưa mới.")
    assert client.get(reverse("showcase:initiative", args=[refused.initiative_id])).status_code == 404


def test_a_reader_counts_once_a_day(seed_practice: Practice) -> None:
    visitor = reader()
    for _ in range(3):
        assert visitor.get(practice_url(seed_practice)).status_code == 200
    seed_practice.refresh_from_db()
    assert seed_practice.read_count == 1
    reader(REMOTE_ADDR="10.0.0.9").get(practice_url(seed_practice))
    seed_practice.refresh_from_db()
    assert seed_practice.read_count == 2
    assert not PracticeRead.objects.filter(reader__contains="10.0.0.9").exists()


def test_the_same_reader_counts_again_the_next_day(seed_practice: Practice) -> None:
    assert services.count_read(practice=seed_practice, reader="r1")
    assert not services.count_read(practice=seed_practice, reader="r1")
    PracticeRead.objects.update(day=clock.today() - datetime.timedelta(days=1))
    assert services.count_read(practice=seed_practice, reader="r1")
    seed_practice.refresh_from_db()
    assert seed_practice.read_count == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"HTTP_USER_AGENT": "facebookexternalhit/1.1"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_PURPOSE": "prefetch"},
    ],
)
def test_bots_and_prefetches_are_not_counted(
    client: Client, seed_practice: Practice, headers: dict[str, str]
) -> None:
    assert client.get(practice_url(seed_practice), **headers).status_code == 200  # type: ignore[arg-type]
    seed_practice.refresh_from_db()
    assert seed_practice.read_count == 0


def test_a_head_request_is_not_counted(seed_practice: Practice) -> None:
    assert reader().head(practice_url(seed_practice)).status_code == 200
    seed_practice.refresh_from_db()
    assert seed_practice.read_count == 0


def test_pages_stay_within_their_query_ceilings(
    client: Client, org: Org, django_assert_max_num_queries: Any, campaign: Campaign, people: People
) -> None:
    certificate = recognise(campaign, org, people)
    directive = make_directive(org)
    practices = [publish(org) for _ in range(25)]
    for unit in (org.commune, org.other_commune, org.district):
        report = make_report(
            make_obligation(directive, unit, practices[0]),
            datetime.date(2024, 1, 1),
            datetime.date(2024, 3, 31),
        )
        AdoptionResult.objects.create(report=report, indicator="Chỉ tiêu", baseline=1, current=2)
    with django_assert_max_num_queries(LIST_CEILING):
        assert client.get(INDEX, {"q": "mo hinh"}).status_code == 200
    with django_assert_max_num_queries(PRACTICE_CEILING):
        assert reader().get(practice_url(practices[0])).status_code == 200
    with django_assert_max_num_queries(INITIATIVE_CEILING):
        assert (
            client.get(
                reverse("showcase:initiative", args=[certificate.recognition.initiative_id])
            ).status_code
            == 200
        )


def test_the_login_page_links_to_the_showcase(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert f'href="{INDEX}"' in html
    assert "Mô hình, sáng kiến tiêu biểu" in html


def test_a_recognised_initiative_is_found_by_its_title_without_accents_never_by_its_confidential_text(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    certificate = recognise(campaign, org, people)
    initiative = certificate.recognition.initiative
    # Its confidential section, folded into the search column by the dossier services.
    initiative.confidential_info = "Mã nguồn phần mềm Hồng Hạc"
    initiative.save(update_fields=["confidential_info"])
    refresh_search_text(initiative)
    assert "hong hac" in Initiative.objects.get(pk=initiative.pk).search_text
    words = " ".join(fold(initiative.title).split()[:4])
    found = client.get(INDEX, {"q": words}).content.decode()
    assert initiative.title in found
    probed = client.get(INDEX, {"q": "hong hac"}).content.decode()
    assert initiative.title not in probed


def test_a_search_of_punctuation_alone_lists_every_practice(client: Client, seed_practice: Practice) -> None:
    # No word to look for: the list as without a search, not a server error.
    response = client.get(INDEX, {"q": "?!"})
    assert response.status_code == 200
    assert SEED_NAME in response.content.decode()
