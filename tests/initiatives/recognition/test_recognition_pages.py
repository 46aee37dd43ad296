"""The campaign's recognition page and its actions (decision, refusal letters, certificates
one by one or all at once, revoking), the document downloads, and the two partials shown on
the campaign and dossier pages: who may do what, and at what cost in queries."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from caicach.core import rendering
from caicach.core.issuing import EXPECTED_FIELD
from caicach.core.models import Job, JobStatus, RegisteredDocument, Role, User
from caicach.initiatives.dossiers.access import initiatives_with_relations
from caicach.initiatives.models import Campaign, Certificate, Recognition, RecognitionDecision
from caicach.initiatives.recognition import views
from caicach.initiatives.recognition.queries import (
    RecognitionRow,
    recognition_page,
    recognition_summary,
    recognitions_with_relations,
)
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    effectiveness_report_create,
    recognition_decision_issue,
    refusal_letter_issue,
)
from caicach.initiatives.recognition.tasks import CERTIFICATES_ISSUE
from tests.conftest import Org, People
from tests.core.factories import person
from tests.documents import pdf_text
from tests.initiatives.factories import DECISION_DAY, dossier, issued_campaign, outcome
from tests.issuing import confirm_issue, offered_reference

PERSONAS = (
    "admin", "reform_officer", "office_officer", "unit_head", "unit_staff", "council_member",
    "committee_member", "leader", "outsider",
)  # fmt: skip
MANAGERS = {"admin", "reform_officer"}
# The dossier's people: its lead author (unit_staff) and the head of the author's unit.
CONCERNED = MANAGERS | {"unit_head", "unit_staff"}
DECISION_FORM = {
    "issued_on": "16/09/2024",
    "signer_authority": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Văn Thành",
}


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


@pytest.fixture
def recognised(campaign: Campaign, org: Org, people: People) -> Recognition:
    return outcome(dossier(campaign, org.science, author_user=people.unit_staff), recognised=True)


@pytest.fixture
def refused(campaign: Campaign, org: Org, people: People) -> Recognition:
    return outcome(
        dossier(campaign, org.science, title="Giải pháp chưa đạt", author_user=people.unit_staff),
        recognised=False, reasons="Chưa có tính mới.",
    )  # fmt: skip


def decide(campaign: Campaign, people: People) -> RecognitionDecision:
    return recognition_decision_issue(
        campaign=campaign, actor=people.reform_officer, issued_on=DECISION_DAY,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
    )  # fmt: skip


@pytest.fixture
def certificate(campaign: Campaign, recognised: Recognition, people: People) -> Certificate:
    decide(campaign, people)
    recognised.refresh_from_db()
    return certificate_issue(recognition=recognised, actor=people.reform_officer)


def status_for(client: Client, user: User, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


def page_url(campaign: Campaign) -> str:
    return reverse("initiatives:recognition_campaign", kwargs={"pk": campaign.pk})


# --- The campaign's recognition page ----------------------------------------------------------------


def test_only_the_campaigns_managers_open_the_recognition_page(
    client: Client,
    campaign: Campaign,
    recognised: Recognition,
    refused: Recognition,
    people: People,
    org: Org,
) -> None:
    for persona in PERSONAS:
        expected = 200 if persona in MANAGERS else 404
        assert status_for(client, getattr(people, persona), "get", page_url(campaign)) == expected, persona
    district_officer = person("huyen.cchc", org.district_home_affairs, Role.REFORM_OFFICER)
    assert status_for(client, district_officer, "get", page_url(campaign)) == 200
    response = client.get(page_url(campaign))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_lists_outcomes_with_what_is_left_to_do(
    client: Client, campaign: Campaign, recognised: Recognition, refused: Recognition, people: People
) -> None:
    client.force_login(people.reform_officer)
    html = client.get(page_url(campaign)).content.decode()
    assert recognised.initiative.title in html and refused.initiative.title in html
    assert "Ban hành quyết định, cấp số" in html
    assert "Chưa có tính mới." in html  # the reasons, ready for the letter
    assert 'name="signer_title" value="PHÓ CHỦ TỊCH"' in html  # the plan's signer, prefilled


def test_issuing_the_decision_from_the_page(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    url = reverse("initiatives:recognition_decision_issue", kwargs={"pk": campaign.pk})
    for persona in ("unit_head", "unit_staff", "council_member", "outsider"):
        assert status_for(client, getattr(people, persona), "post", url, DECISION_FORM) == 404
    assert not RecognitionDecision.objects.exists()

    client.force_login(people.reform_officer)
    response = client.post(url, {**DECISION_FORM, "signer_title": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not RecognitionDecision.objects.exists()

    response = confirm_issue(client, url, DECISION_FORM, follow=True)
    assert response.redirect_chain[-1][0] == page_url(campaign)
    assert "Đã ban hành Quyết định số 01/QĐ-UBND." in response.content.decode()
    recognised.refresh_from_db()
    assert recognised.decision is not None

    # Again (another tab, say): nothing left to decide, said on the campaign's page.
    response = client.post(url, DECISION_FORM, follow=True)
    assert response.redirect_chain[-1][0] == page_url(campaign)
    assert "Không còn sáng kiến nào chờ quyết định công nhận" in response.content.decode()


def test_the_page_has_a_constant_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    for index in range(30):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}"), recognised=index % 3 != 0,
                reasons="Không mới.")  # fmt: skip
    decide(campaign, people)
    for recognition in Recognition.objects.filter(recognised=True)[:5]:
        certificate_issue(recognition=recognition, actor=people.reform_officer)
    for recognition in Recognition.objects.filter(recognised=False)[:3]:
        refusal_letter_issue(recognition=recognition, actor=people.reform_officer)
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(14):
        response = client.get(page_url(campaign))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 26  # the header and 25 rows


def _outcomes_from_the_models(campaign: Campaign) -> list[RecognitionRow]:
    """The recognition page's rows rebuilt from the model rows, as the documents read them."""
    rows = []
    for r in (
        recognitions_with_relations()
        .filter(initiative__campaign=campaign)
        .order_by("-recognised", "initiative_id")
    ):
        certificate = Certificate.objects.filter(recognition=r).select_related("registered_document").first()
        rows.append(
            RecognitionRow(
                pk=r.pk,
                initiative_url=r.initiative.get_absolute_url(),
                title=r.initiative.title,
                unit_name=r.initiative.unit.name,
                authors=tuple(a.full_name for a in r.initiative.authorships.order_by("position")),
                recognised=r.recognised,
                level_label=r.get_level_display(),
                votes_for=r.votes_for,
                members_present=r.members_present,
                reasons=r.reasons,
                decision_reference=r.decision.registered_document.reference if r.decision else None,
                certificate_pk=certificate.pk if certificate else None,
                certificate_reference=certificate.registered_document.reference if certificate else "",
                certificate_revoked=bool(certificate and certificate.revoked_at),
                verification_code=certificate.verification_code if certificate else "",
                refusal_reference=r.refusal_letter.reference if r.refusal_letter else None,
            )
        )
    return rows


def test_the_outcomes_are_kept_as_shown_until_a_document_is_issued(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_num_queries: Any
) -> None:
    for index in range(5):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}"), recognised=index % 2 == 0,
                reasons="" if index % 2 == 0 else "Không mới.")  # fmt: skip
    decide(campaign, people)
    other = issued_campaign(org, people)
    first = recognition_page(campaign, 1)
    with django_assert_num_queries(0):
        again = recognition_page(campaign, 1)
    assert list(first.object_list) == list(again.object_list) == _outcomes_from_the_models(campaign)
    assert [row.recognised for row in first.object_list] == [True, True, True, False, False]
    assert first.paginator.count == 5 and first.number == 1
    assert first.object_list[0].authors and all(row.decision_reference for row in first.object_list[:3])
    assert list(recognition_page(other, 1).object_list) == []  # another campaign's page

    # A certificate issued and revoked, a refusal letter issued: the rows say so at once.
    recognised = Recognition.objects.filter(initiative__campaign=campaign, recognised=True).first()
    refused = Recognition.objects.filter(initiative__campaign=campaign, recognised=False).first()
    assert recognised is not None and refused is not None
    certificate = certificate_issue(recognition=recognised, actor=people.reform_officer)
    refusal_letter_issue(recognition=refused, actor=people.reform_officer)
    after = list(recognition_page(campaign, 1).object_list)
    assert after == _outcomes_from_the_models(campaign) != list(first.object_list)
    certificate_revoke(certificate=certificate, actor=people.reform_officer, reason="Cấp nhầm.")
    revoked = next(row for row in recognition_page(campaign, 1).object_list if row.pk == recognised.pk)
    assert revoked.certificate_revoked and revoked.certificate_reference == "01/GCN-UBND"

    client.force_login(people.reform_officer)
    html = client.get(page_url(campaign)).content.decode()
    row = next(row for row in after if row.pk == refused.pk)
    assert f"Văn bản số {row.refusal_reference} (DOCX)" in html
    assert "Đã thu hồi" in html and ", ".join(after[0].authors) in html


# --- Refusal letters -------------------------------------------------------------------------------------


def test_issuing_and_downloading_a_refusal_letter(
    client: Client, campaign: Campaign, refused: Recognition, people: People
) -> None:
    issue_url = reverse("initiatives:recognition_refusal_issue", kwargs={"pk": refused.pk})
    docx_url = reverse("initiatives:recognition_refusal_docx", kwargs={"pk": refused.pk})
    client.force_login(people.reform_officer)
    assert client.get(docx_url).status_code == 404  # not issued yet
    client.logout()
    for persona in ("unit_head", "unit_staff", "council_member", "outsider"):
        assert status_for(client, getattr(people, persona), "post", issue_url, {"reasons": "x"}) == 404
    client.force_login(people.reform_officer)
    response = client.post(issue_url, {"reasons": ""}, follow=True)
    assert "Vui lòng ghi rõ lý do" in response.content.decode()
    refused.refresh_from_db()
    assert refused.refusal_letter is None

    reasons = {"reasons": "Chưa có tính mới.\nChưa áp dụng thử."}
    assert offered_reference(client.post(issue_url, reasons)) == "01/UBND-PNV"
    response = confirm_issue(client, issue_url, reasons, follow=True)
    assert "Đã ban hành văn bản trả lời số 01/UBND-PNV." in response.content.decode()
    for persona in PERSONAS:
        expected = 200 if persona in CONCERNED else 404
        assert status_for(client, getattr(people, persona), "get", docx_url) == expected, persona
    client.force_login(people.unit_staff)
    response = client.get(docx_url)
    assert "CV-01-2" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "- Chưa áp dụng thử." in text


# --- Certificates ----------------------------------------------------------------------------------------


def test_issuing_one_certificate_from_the_page(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    url = reverse("initiatives:recognition_certificate_issue", kwargs={"pk": recognised.pk})
    client.force_login(people.reform_officer)
    response = client.post(url, follow=True)
    assert "chưa có trong quyết định" in response.content.decode()
    assert not Certificate.objects.exists()
    decide(campaign, people)
    for persona in ("unit_head", "unit_staff", "council_member", "outsider"):
        assert status_for(client, getattr(people, persona), "post", url) == 404
    client.force_login(people.reform_officer)
    response = confirm_issue(client, url, follow=True)
    assert "Đã cấp giấy chứng nhận số 01/GCN-UBND." in response.content.decode()
    assert Certificate.objects.filter(recognition=recognised).exists()


def test_certificates_for_a_few_are_issued_at_once(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    for index in range(3):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}"), recognised=True)
    decide(campaign, people)
    url = reverse("initiatives:recognition_certificates_issue", kwargs={"pk": campaign.pk})
    assert status_for(client, people.unit_head, "post", url) == 404
    client.force_login(people.reform_officer)
    response = confirm_issue(client, url, follow=True)
    assert "Đã cấp 3 giấy chứng nhận." in response.content.decode()
    assert Certificate.objects.count() == 3
    assert not Job.objects.exists()


def test_certificates_for_many_are_issued_by_a_background_job(
    client: Client, campaign: Campaign, org: Org, people: People, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(views, "BULK_INLINE_LIMIT", 2)
    for index in range(4):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}"), recognised=True)
    decide(campaign, people)
    client.force_login(people.reform_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_issue(
            client, reverse("initiatives:recognition_certificates_issue", kwargs={"pk": campaign.pk})
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.kind == CERTIFICATES_ISSUE
    assert job.status == JobStatus.DONE, job.message
    assert job.message == "Đã cấp 4 giấy chứng nhận."
    assert sorted(Certificate.objects.values_list("registered_document__number", flat=True)) == [1, 2, 3, 4]


def test_the_job_checks_the_right_again(
    client: Client, campaign: Campaign, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    from caicach.core.jobs.services import job_start

    outcome(dossier(campaign, org.science), recognised=True)
    decide(campaign, people)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=CERTIFICATES_ISSUE, actor=people.unit_head, parameters={"campaign": campaign.pk})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not Certificate.objects.exists()


def test_revoking_from_the_page(client: Client, certificate: Certificate, people: People) -> None:
    url = reverse("initiatives:certificate_revoke", kwargs={"pk": certificate.pk})
    for persona in ("unit_head", "unit_staff", "council_member", "outsider"):
        assert status_for(client, getattr(people, persona), "post", url, {"reason": "x"}) == 404
    client.force_login(people.reform_officer)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Vui lòng nêu lý do" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(url, {"reason": "Cấp nhầm."}, follow=True)
    assert "Đã thu hồi giấy chứng nhận số 01/GCN-UBND" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert status_for(client, people.reform_officer, "post", url, {"reason": "Lần nữa."}) == 404


def test_who_may_download_the_decision(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    decision = decide(campaign, people)
    url = reverse("initiatives:recognition_decision_docx", kwargs={"pk": decision.pk})
    for persona in PERSONAS:
        expected = 200 if persona in MANAGERS else 404
        assert status_for(client, getattr(people, persona), "get", url) == expected, persona
    client.force_login(people.reform_officer)
    response = client.get(url)
    assert "QD-01-2024-cong-nhan-sang-kien.docx" in response["Content-Disposition"]


# --- The partials on the campaign and dossier pages ------------------------------------------------------


def render_partial(name: str, user: User, **context: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(f"initiatives/{name}", {"request": request, "user": user, **context})


def test_the_campaign_partial_shows_the_counts_to_managers_only(
    campaign: Campaign, recognised: Recognition, refused: Recognition, people: People,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    people.reform_officer.refresh_from_db()
    with django_assert_max_num_queries(4):
        html = render_partial("recognition/_campaign_panel.html", people.reform_officer, campaign=campaign)
    assert page_url(campaign) in html
    assert "<strong>1</strong> được công nhận" in html
    assert "<strong>1</strong> không được công nhận" in html
    for persona in ("unit_head", "unit_staff", "outsider"):
        assert page_url(campaign) not in render_partial(
            "recognition/_campaign_panel.html", getattr(people, persona), campaign=campaign
        )


def test_the_dossier_partial_shows_the_outcome_certificate_and_reports(
    certificate: Certificate, people: People, django_assert_max_num_queries: Any
) -> None:
    initiative = initiatives_with_relations().get(pk=certificate.recognition.initiative_id)
    effectiveness_report_create(initiative=initiative, actor=people.unit_staff, data={})
    initiative = initiatives_with_relations().get(pk=initiative.pk)
    author = User.objects.get(pk=people.unit_staff.pk)
    with django_assert_max_num_queries(5):
        html = render_partial("recognition/_dossier_panel.html", author, initiative=initiative)
    assert "Được công nhận" in html and "Cấp cơ sở" in html
    assert "Số 01/QĐ-UBND ngày 16/09/2024" in html
    assert reverse("initiatives:certificate_pdf", kwargs={"pk": certificate.pk}) in html
    assert reverse("verification:certificate", kwargs={"code": certificate.verification_code}) in html
    assert reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk}) in html
    assert "Báo cáo lập ngày" in html

    head = render_partial("recognition/_dossier_panel.html", people.unit_head, initiative=initiative)
    assert reverse("initiatives:certificate_pdf", kwargs={"pk": certificate.pk}) in head
    assert reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk}) not in head
    for persona in ("council_member", "outsider", "office_officer"):
        assert "Kết quả công nhận" not in render_partial(
            "recognition/_dossier_panel.html", getattr(people, persona), initiative=initiative
        )


def test_the_dossier_partial_is_empty_before_the_vote(campaign: Campaign, org: Org, people: People) -> None:
    initiative = initiatives_with_relations().get(
        pk=dossier(campaign, org.science, author_user=people.unit_staff).pk
    )
    assert (
        render_partial("recognition/_dossier_panel.html", people.unit_staff, initiative=initiative).strip()
        == ""
    )


def test_the_documents_download_with_a_constant_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    many = [(f"Tác giả {n}", "5", None) for n in range(20)]
    for index in range(25):
        outcome(dossier(campaign, org.science, title=f"Sáng kiến {index}", authors=many), recognised=True)
    refused = outcome(
        dossier(campaign, org.science, title="Chưa đạt", authors=many), recognised=False, reasons="Không mới."
    )
    refusal_letter_issue(recognition=refused, actor=people.reform_officer)
    decision = decide(campaign, people)
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("initiatives:recognition_decision_docx", kwargs={"pk": decision.pk}))
    assert response.status_code == 200
    table = docx.Document(io.BytesIO(response.content)).tables[1]
    assert len(table.rows) == 26
    with django_assert_max_num_queries(12):
        response = client.get(reverse("initiatives:recognition_refusal_docx", kwargs={"pk": refused.pk}))
    assert response.status_code == 200


# --- The decision's draft and its confirmation ----------------------------------------------------------


def draft_url(campaign: Campaign, fmt: str) -> str:
    return reverse("initiatives:recognition_decision_draft", kwargs={"pk": campaign.pk, "fmt": fmt})


def test_the_decisions_draft_reads_as_issued_but_without_number_or_date(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    for persona in PERSONAS:
        expected = 200 if persona in MANAGERS else 404
        assert status_for(client, getattr(people, persona), "get", draft_url(campaign, "docx")) == expected
    client.force_login(people.reform_officer)
    response = client.get(draft_url(campaign, "docx"))
    assert response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    assert "QĐ-UBND" in text and "01/QĐ-UBND" not in text  # the symbol, not yet a number
    assert "Công nhận 01 sáng kiến" in text
    assert (
        not RecognitionDecision.objects.exists()
        and not RegisteredDocument.objects.filter(document_type="QĐ").exists()
    )
    assert client.get(draft_url(campaign, "xlsx")).status_code == 404
    typed = client.get(
        draft_url(campaign, "docx"), {"signer_title": "CHỦ TỊCH", "signer_name": "Trần Văn Ký"}
    )
    signed = docx.Document(io.BytesIO(typed.content))
    cells = [cell.text for table in signed.tables for row in table.rows for cell in row.cells]
    assert any("Trần Văn Ký" in cell for cell in cells)


def test_the_decisions_draft_downloads_as_pdf(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    client.force_login(people.reform_officer)
    response = client.get(draft_url(campaign, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == rendering.PDF_CONTENT_TYPE
    assert response.content.startswith(b"%PDF")


def test_the_decisions_confirmation_names_its_number_and_offers_the_draft(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    client.force_login(people.reform_officer)
    url = reverse("initiatives:recognition_decision_issue", kwargs={"pk": campaign.pk})
    page = client.post(url, DECISION_FORM)
    assert offered_reference(page) == "01/QĐ-UBND"
    body = page.content.decode()
    assert draft_url(campaign, "docx") + "?" in body and draft_url(campaign, "pdf") + "?" in body
    assert "signer_name=Nguy%E1%BB%85n+V%C4%83n+Th%C3%A0nh" in body  # the draft signed as typed
    assert 'name="signer_name" value="Nguyễn Văn Thành"' in body  # the form's data travels on
    assert not RecognitionDecision.objects.exists()


def test_issuing_a_certificate_already_issued_says_so_on_the_page(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    decide(campaign, people)
    url = reverse("initiatives:recognition_certificate_issue", kwargs={"pk": recognised.pk})
    client.force_login(people.reform_officer)
    confirmation = client.post(url)  # the first tab shows the confirmation…
    confirm_issue(client, url)  # …a second tab issues
    response = client.post(url, {EXPECTED_FIELD: offered_reference(confirmation)}, follow=True)
    assert response.redirect_chain[-1][0] == page_url(campaign)
    assert "Sáng kiến này đã được cấp giấy chứng nhận." in response.content.decode()
    assert Certificate.objects.count() == 1


def certificate_draft_url(recognition: Recognition) -> str:
    return reverse("initiatives:recognition_certificate_draft", kwargs={"pk": recognition.pk})


def test_the_certificate_draft_reads_as_issued_without_number_or_code(
    client: Client, campaign: Campaign, recognised: Recognition, people: People
) -> None:
    url = certificate_draft_url(recognised)
    client.force_login(people.reform_officer)
    early = client.get(url, follow=True)  # before the decision: said on the campaign's page
    assert early.redirect_chain[-1][0] == page_url(campaign)
    assert "chưa có trong quyết định" in early.content.decode()
    decide(campaign, people)
    documents = RegisteredDocument.objects.count()
    for persona in ("unit_head", "unit_staff", "council_member", "outsider"):
        assert status_for(client, getattr(people, persona), "get", url) == 404
    client.force_login(people.reform_officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == rendering.PDF_CONTENT_TYPE
    text = " ".join(pdf_text(response.content).split())
    assert "DỰ THẢO" in text and "cấp khi ban hành" in text
    assert recognised.initiative.title in text and "GIẤY CHỨNG NHẬN SÁNG KIẾN" in text
    assert "GCN" not in text  # no number taken
    assert not Certificate.objects.exists() and RegisteredDocument.objects.count() == documents
    confirm_issue(client, reverse("initiatives:recognition_certificate_issue", kwargs={"pk": recognised.pk}))
    late = client.get(url, follow=True)  # issued meanwhile: said on the page, never a 404
    assert "Sáng kiến này đã được cấp giấy chứng nhận." in late.content.decode()


def test_the_certificates_confirmations_offer_the_draft(
    client: Client, campaign: Campaign, recognised: Recognition, org: Org, people: People
) -> None:
    other = outcome(dossier(campaign, org.science, title="Sáng kiến thứ hai"), recognised=True)
    decide(campaign, people)
    client.force_login(people.reform_officer)
    single = client.post(reverse("initiatives:recognition_certificate_issue", kwargs={"pk": other.pk}))
    assert offered_reference(single) == "01/GCN-UBND"
    assert certificate_draft_url(other) in single.content.decode()
    batch = client.post(reverse("initiatives:recognition_certificates_issue", kwargs={"pk": campaign.pk}))
    first = min((recognised, other), key=lambda recognition: recognition.initiative_id)
    assert certificate_draft_url(first) in batch.content.decode()
    assert not Certificate.objects.exists()


def test_the_kept_summary_follows_a_recognition_once_it_commits(
    campaign: Campaign,
    org: Org,
    people: People,
    recognised: Recognition,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The campaign's recognition counts are kept (caicach.core.choices.kept): read again,
    they cost no statement; a council's vote counts as soon as its transaction commits."""
    assert recognition_summary(campaign).recognised == 1
    with django_assert_num_queries(0):
        assert recognition_summary(campaign).awaiting_decision == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outcome(
            dossier(campaign, org.science, title="Sáng kiến thứ hai"),
            recognised=False,
            reasons="Chưa có tính mới.",
        )
    summary = recognition_summary(campaign)
    assert (summary.recognised, summary.not_recognised, summary.awaiting_letter) == (1, 1, 1)
