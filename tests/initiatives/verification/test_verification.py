"""The public verification page: anyone holding a certificate's code (or its QR) sees, without
logging in, that it is genuine and what it certifies; a revoked one says so; a wrong code
gets a friendly 404 that tells a guesser nothing; nothing else about the dossier leaks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.initiatives.models import Campaign, Certificate, RecognitionLevel, display_code
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    recognition_decision_issue,
)
from tests.conftest import Org, People
from tests.initiatives.factories import DECISION_DAY, dossier, issued_campaign, outcome
from tests.initiatives.factories import RECOGNITION_SEED_TITLE as SEED_TITLE

FORM = reverse("verification:form")


def page(code: str) -> str:
    return reverse("verification:certificate", kwargs={"code": code})


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


def issue(campaign: Campaign, org: Org, people: People, **options: Any) -> Certificate:
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


@pytest.fixture
def certificate(campaign: Campaign, org: Org, people: People) -> Certificate:
    return issue(campaign, org, people)


def test_an_anonymous_visitor_sees_what_the_certificate_certifies(
    client: Client, certificate: Certificate
) -> None:
    response = client.get(page(certificate.verification_code))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Giấy chứng nhận hợp lệ",
        display_code(certificate.verification_code),
        "Số 01/GCN-UBND",
        SEED_TITLE,
        "Lê Tuấn Phú",
        "Nguyễn Phương Thảo",
        "Đông Thị Huệ",
        "Cấp tỉnh",
        "Số 01/QĐ-UBND ngày 16/09/2024",
        "Ủy ban nhân dân huyện Châu Thành",
    ):
        assert expected in html, expected
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_shows_nothing_beyond_the_certificate(client: Client, certificate: Certificate) -> None:
    html = client.get(page(certificate.verification_code)).content.decode()
    for secret in (
        "87,25", "87.25",  # the council's mean score
        "6/7", "tán thành",  # the vote
        "28/01/1967", "1967",  # the authors' dates of birth
        "30%", "Thạc sỹ", "Văn phòng UBND tỉnh",  # shares, qualifications, workplaces
        "Đăng xuất", "sang-kien/",  # no signed-in menu, no links into the application
    ):  # fmt: skip
        assert secret not in html, secret


def test_a_revoked_certificate_is_clearly_marked(
    client: Client, certificate: Certificate, people: People
) -> None:
    certificate_revoke(
        certificate=certificate, actor=people.reform_officer, reason="Trùng với sáng kiến đã có."
    )
    response = client.get(page(certificate.verification_code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giấy chứng nhận này đã bị thu hồi" in html
    assert "Giấy chứng nhận hợp lệ" not in html
    assert "Trùng với sáng kiến" not in html  # the reason is the administration's own business


@pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "ABCDEFGHJKM0", "XYZ", "A" * 40])
def test_an_unknown_or_malformed_code_gets_the_same_friendly_404(
    client: Client, certificate: Certificate, code: str
) -> None:
    response = client.get(page(code))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy giấy chứng nhận" in html
    assert 'name="code"' in html  # try again right there
    assert SEED_TITLE not in html


def test_codes_typed_loosely_lead_to_the_canonical_page(client: Client, certificate: Certificate) -> None:
    code = certificate.verification_code
    loose = display_code(code).lower()
    response = client.get(page(loose))
    assert response.status_code == 302 and response["Location"] == page(code)
    response = client.get(FORM, {"code": f"  {loose} "})
    assert response.status_code == 302 and response["Location"] == page(code)


def test_the_form_page_is_public_and_asks_for_a_code(client: Client, db: None) -> None:
    response = client.get(FORM)
    assert response.status_code == 200
    assert "Mã xác minh" in response.content.decode()
    response = client.get(FORM, {"code": "--"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_page_costs_the_same_few_queries_found_or_not(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_num_queries: Any
) -> None:
    authors = [(f"Tác giả {n}", "5", None) for n in range(20)]
    certificate = issue(campaign, org, people, authors=authors)
    with django_assert_num_queries(2):
        response = client.get(page(certificate.verification_code))
    assert response.content.decode().count("Tác giả ") >= 20
    with django_assert_num_queries(1):
        assert client.get(page("ABCDEFGHJKMN")).status_code == 404
    with django_assert_num_queries(0):
        assert client.get(page("XYZ")).status_code == 404


def test_only_get_is_answered(client: Client, certificate: Certificate) -> None:
    assert client.post(page(certificate.verification_code)).status_code == 405
