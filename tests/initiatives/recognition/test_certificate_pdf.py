"""The certificate: one landscape page naming every co-author, the level and the decision,
with its number, verification code and a QR code that opens the public verification page;
downloaded by the authors, their unit's head and the campaign's managers only."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from caicach.core import rendering
from caicach.initiatives.models import Campaign, Certificate, display_code
from caicach.initiatives.recognition.documents import (
    CERTIFICATE_QR_BORDER,
    CERTIFICATE_QR_SCALE,
    certificate_pdf,
)
from caicach.initiatives.recognition.queries import certificates_with_relations
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    recognition_decision_issue,
)
from tests.conftest import Org, People
from tests.documents import pdf_text
from tests.initiatives.factories import DECISION_DAY, dossier, issued_campaign, outcome
from tests.initiatives.factories import RECOGNITION_SEED_TITLE as SEED_TITLE

pytestmark = pytest.mark.skipif(
    rendering.find_serif_font() is None, reason="no Vietnamese-capable serif font"
)
URL = "https://sangkien.tayninh.gov.vn/xac-minh/ABCDEFGHJKMN/"


def issue(campaign: Campaign, people: People, **dossier_options: Any) -> Certificate:
    recognition = outcome(dossier(campaign, **dossier_options), recognised=True)
    recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
    )  # fmt: skip
    recognition.refresh_from_db()
    certificate = certificate_issue(recognition=recognition, actor=people.reform_officer)
    return certificates_with_relations().get(pk=certificate.pk)


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


@pytest.fixture
def certificate(campaign: Campaign, org: Org, people: People) -> Certificate:
    return issue(campaign, people, unit=org.science, author_user=people.unit_staff)


def test_the_certificate_names_everything_it_certifies_with_exact_vietnamese(
    certificate: Certificate,
) -> None:
    document = certificate_pdf(certificate, verification_url=URL)
    assert document.content_type == "application/pdf"
    assert document.filename.startswith("GCN-01-") and document.filename.endswith(".pdf")
    text = pdf_text(document.content)
    code = display_code(certificate.verification_code)
    for expected in (
        "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN SÁNG KIẾN",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH",
        f"“{SEED_TITLE}”",
        "Đồng tác giả: Lê Tuấn Phú (30%), Nguyễn Phương Thảo (30%), Đông Thị Huệ (40%)",
        "Đơn vị: Sở Khoa học và Công nghệ",
        "Đã được công nhận là sáng kiến cấp cơ sở theo Quyết định số 01/QĐ-UBND ngày 16/9/2024 của Ủy ban "
        "nhân dân huyện Châu Thành.",
        "Số: 01/GCN-UBND",
        f"Mã xác minh: {code}",
        URL,
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
    ):
        assert expected in text, expected


def test_the_certificate_is_one_landscape_a4_page(certificate: Certificate) -> None:
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate, verification_url=URL).content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_a_long_title_and_many_authors_still_fit_on_one_page(
    campaign: Campaign, org: Org, people: People
) -> None:
    authors = [(f"Tác Giả Số {n:02d} Nguyễn Văn", "5", None) for n in range(1, 21)]
    title = "Nâng cao hiệu quả giải quyết thủ tục hành chính " * 8
    certificate = issue(campaign, people, unit=org.science, title=title.strip(), authors=authors)
    content = certificate_pdf(certificate, verification_url=URL).content
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = pdf_text(content)
    for name, _share, _born in authors:
        assert f"{name} (5%)" in text


def _dark(pixel: Any) -> bool:
    assert isinstance(pixel, int)  # a grey-scale image has one number per pixel
    return pixel < 128


def qr_modules(content: bytes) -> list[list[bool]]:
    """The embedded QR image read back module by module (dark = True)."""
    images = PdfReader(io.BytesIO(content)).pages[0].images
    assert len(images) == 1
    embedded = images[0].image
    assert embedded is not None
    image = embedded.convert("L")
    size = image.width // CERTIFICATE_QR_SCALE
    assert image.width == image.height == size * CERTIFICATE_QR_SCALE
    half = CERTIFICATE_QR_SCALE // 2
    return [
        [
            _dark(image.getpixel((x * CERTIFICATE_QR_SCALE + half, y * CERTIFICATE_QR_SCALE + half)))
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_the_qr_code_is_the_verification_address(certificate: Certificate) -> None:
    embedded = qr_modules(certificate_pdf(certificate, verification_url=URL).content)
    expected = [
        [bool(m) for m in row] for row in segno.make(URL, error="m").matrix_iter(border=CERTIFICATE_QR_BORDER)
    ]
    assert embedded == expected
    other = [
        [bool(m) for m in row]
        for row in segno.make(URL.replace("ABCD", "WXYZ"), error="m").matrix_iter(
            border=CERTIFICATE_QR_BORDER
        )
    ]
    assert embedded != other


# --- The download -----------------------------------------------------------------------------------------


def pdf_url(certificate: Certificate) -> str:
    return reverse("initiatives:certificate_pdf", kwargs={"pk": certificate.pk})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("reform_officer", 200),
        ("unit_head", 200),
        ("unit_staff", 200),  # the lead author
        ("office_officer", 404),
        ("council_member", 404),
        ("committee_member", 404),
        ("leader", 404),
        ("outsider", 404),
    ],
)
def test_who_may_download_the_certificate(
    client: Client, certificate: Certificate, people: People, persona: str, status: int
) -> None:
    client.force_login(getattr(people, persona))
    response = client.get(pdf_url(certificate))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "GCN-01-" in response["Content-Disposition"]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, certificate: Certificate) -> None:
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_downloaded_qr_points_at_this_sites_verification_page(
    client: Client, certificate: Certificate, people: People
) -> None:
    client.force_login(people.unit_staff)
    content = client.get(pdf_url(certificate)).content
    address = f"http://testserver/xac-minh/{certificate.verification_code}/"
    assert address in pdf_text(content)
    expected = [
        [bool(m) for m in row]
        for row in segno.make(address, error="m").matrix_iter(border=CERTIFICATE_QR_BORDER)
    ]
    assert qr_modules(content) == expected


def test_a_revoked_certificate_is_no_longer_printed(
    client: Client, certificate: Certificate, people: People
) -> None:
    certificate_revoke(certificate=certificate, actor=people.reform_officer, reason="Cấp nhầm.")
    for persona in (people.admin, people.reform_officer, people.unit_staff):
        client.force_login(persona)
        assert client.get(pdf_url(certificate)).status_code == 404


def test_the_download_has_a_constant_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    authors = [(f"Tác giả {n}", "10", None) for n in range(10)]
    certificate = issue(campaign, people, unit=org.science, authors=authors, author_user=people.unit_staff)
    client.force_login(people.unit_staff)
    with django_assert_max_num_queries(8):
        response = client.get(pdf_url(certificate))
    assert response.status_code == 200
