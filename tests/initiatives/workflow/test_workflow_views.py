"""The workflow buttons on the dossier page: who sees and may press which, what a refused or
mistimed press shows, and the pages' query budgets."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import Job, Role, User
from caicach.initiatives.dossiers.queries import initiative_for_page
from caicach.initiatives.dossiers.services import attachment_add
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus
from tests.conftest import Org, People, forget_kept
from tests.core.factories import person
from tests.initiatives.factories import complete_draft, province_campaign, send, submit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return province_campaign(org, people)


@pytest.fixture
def draft(org: Org, people: People, campaign: Campaign) -> Initiative:
    return complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)


def status_of(initiative: Initiative) -> str:
    return Initiative.objects.values_list("status", flat=True).get(pk=initiative.pk)


def url(name: str, initiative: Initiative, **kwargs: Any) -> str:
    return reverse(f"initiatives:{name}", kwargs={"pk": initiative.pk, **kwargs})


def who(people: People, persona: str) -> User | None:
    return None if persona == "anonymous" else getattr(people, persona)


# --- Permission matrix ---------------------------------------------------------------------------
#
# (view, state the dossier is put in, persona) -> expected status code. 302 for an allowed action
# (back to the dossier, or to the job page), 302 to the login page for anonymous visitors, 404
# for everyone else: those who may not see the dossier and those who see it but may not act.

PREPARE: dict[str, Callable[[Initiative, People], object]] = {
    "draft": lambda i, p: None,
    "awaiting": lambda i, p: submit(i, p.unit_staff),
    "submitted": lambda i, p: send(i, p),
}

MATRIX = [
    # Submitting a draft: its author (and an administrator).
    ("submit", "draft", "unit_staff", 302),
    ("submit", "draft", "admin", 302),
    ("submit", "draft", "unit_head", 404),
    ("submit", "draft", "reform_officer", 404),
    ("submit", "draft", "council_member", 404),
    ("submit", "draft", "outsider", 404),
    ("submit", "draft", "anonymous", 302),
    # Confirming: the unit's head.
    ("confirm", "awaiting", "unit_head", 302),
    ("confirm", "awaiting", "unit_staff", 404),
    ("confirm", "awaiting", "reform_officer", 404),
    ("confirm", "awaiting", "outsider", 404),
    ("confirm", "awaiting", "anonymous", 302),
    # Accepting: the campaign's reform officers.
    ("accept", "submitted", "reform_officer", 302),
    ("accept", "submitted", "admin", 302),
    ("accept", "submitted", "unit_head", 404),
    ("accept", "submitted", "unit_staff", 404),
    ("accept", "submitted", "office_officer", 404),
    ("accept", "submitted", "outsider", 404),
    ("accept", "submitted", "anonymous", 302),
    # The return form page.
    ("return", "submitted", "reform_officer", 200),
    ("return", "submitted", "unit_head", 404),
    ("return", "submitted", "unit_staff", 404),
    ("return", "submitted", "council_member", 404),
    ("return", "submitted", "outsider", 404),
    ("return", "submitted", "anonymous", 302),
    # Documents: whoever may see the dossier.
    ("document", "draft", "unit_staff", 200),
    ("document", "draft", "unit_head", 200),
    ("document", "draft", "reform_officer", 404),
    ("document", "submitted", "reform_officer", 200),
    ("document", "draft", "outsider", 404),
    ("document", "draft", "anonymous", 302),
    ("document_pdf", "draft", "unit_staff", 302),
    ("document_pdf", "draft", "reform_officer", 404),
    ("document_pdf", "draft", "outsider", 404),
    ("document_pdf", "draft", "anonymous", 302),
]


def request_for(view: str, initiative: Initiative, client: Client) -> Any:
    if view == "submit":
        return client.post(url("initiative_submit", initiative), {"version": initiative.version})
    if view == "confirm":
        return client.post(url("initiative_confirm", initiative), {"confirm-note": "Đồng ý."})
    if view == "accept":
        return client.post(url("initiative_accept", initiative), {"accept-accepted_on": ""})
    if view == "return":
        return client.get(url("initiative_return", initiative))
    if view == "document":
        return client.get(url("initiative_document", initiative, kind="application"))
    return client.post(url("initiative_document_pdf", initiative, kind="application"))


@pytest.mark.parametrize(("view", "state", "persona", "expected"), MATRIX)
def test_permission_matrix(
    client: Client, draft: Initiative, people: People, view: str, state: str, persona: str, expected: int,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PREPARE[state](draft, people)
    draft.refresh_from_db()
    before = status_of(draft)
    user = who(people, persona)
    if user is not None:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False):
        response = request_for(view, draft, client)
    assert response.status_code == expected, (view, persona, response.status_code)
    if persona == "anonymous":
        assert reverse("login") in response["Location"]
    if expected == 404 or persona == "anonymous":
        assert status_of(draft) == before
        assert not Job.objects.exists()
    elif view in ("submit", "confirm", "accept"):
        assert response["Location"] == draft.get_absolute_url()
        assert status_of(draft) != before
    elif view == "document_pdf":
        assert response["Location"] == reverse("job_detail", args=[Job.objects.get().pk])


@pytest.mark.parametrize(("persona", "expected"), [
    ("reform_officer", 302), ("admin", 302), ("unit_head", 404), ("unit_staff", 404), ("outsider", 404),
    ("anonymous", 302),
])  # fmt: skip
def test_who_may_start_the_campaign_zip(
    client: Client, campaign: Campaign, people: People, persona: str, expected: int,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    user = who(people, persona)
    if user is not None:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("initiatives:campaign_dossiers_zip", kwargs={"pk": campaign.pk}))
    assert response.status_code == expected
    if expected == 302 and user is not None:
        job = Job.objects.get()
        assert response["Location"] == reverse("job_detail", args=[job.pk])
        assert job.parameters == {"campaign": campaign.pk}
    else:
        assert not Job.objects.exists()


def test_the_actions_are_post_only(client: Client, draft: Initiative, people: People) -> None:
    client.force_login(people.unit_staff)
    for name in ("initiative_submit", "initiative_confirm", "initiative_accept"):
        assert client.get(url(name, draft)).status_code == 405
    assert client.get(url("initiative_document_pdf", draft, kind="application")).status_code == 405
    assert status_of(draft) == InitiativeStatus.DRAFT


# --- What the page shows ---------------------------------------------------------------------------


def page(client: Client, user: User, initiative: Initiative) -> str:
    client.force_login(user)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_each_person_sees_the_buttons_they_may_press(
    client: Client, draft: Initiative, people: People
) -> None:
    html = page(client, people.unit_staff, draft)
    assert url("initiative_submit", draft) in html
    assert f'name="version" value="{draft.version}"' in html
    assert url("initiative_confirm", draft) not in html
    assert url("initiative_document", draft, kind="application") in html
    assert url("initiative_document", draft, kind="receipt") not in html
    html = page(client, people.unit_head, draft)
    assert url("initiative_submit", draft) not in html

    submit(draft, people.unit_staff)
    html = page(client, people.unit_head, draft)
    assert url("initiative_confirm", draft) in html
    assert "Xác nhận và gửi đến cơ quan tiếp nhận" in html
    assert url("initiative_submit", draft) not in html

    send_on = draft
    from caicach.initiatives.workflow.services import initiative_confirm

    initiative_confirm(initiative=send_on, actor=people.unit_head)
    html = page(client, people.reform_officer, draft)
    assert url("initiative_accept", draft) in html
    assert url("initiative_return", draft) in html
    html = page(client, people.unit_staff, draft)
    for name in ("initiative_submit", "initiative_confirm", "initiative_accept", "initiative_return"):
        assert url(name, draft) not in html, name


def test_the_author_is_told_what_is_missing_before_sending(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    draft = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"necessity": "", "purpose": ""}
    )
    html = page(client, people.unit_staff, draft)
    assert "Trước khi gửi, vui lòng bổ sung:" in html
    assert "5. Sự cần thiết phải áp dụng giải pháp sáng kiến" in html
    assert "6. Mục đích của giải pháp sáng kiến" in html


def test_the_whole_way_through_the_browser_forms(
    client: Client, draft: Initiative, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(people.unit_staff)
    response = client.post(url("initiative_submit", draft), {"version": draft.version}, follow=True)
    assert "Đã gửi hồ sơ; hồ sơ đang chờ thủ trưởng đơn vị xác nhận." in response.content.decode()

    client.force_login(people.unit_head)
    response = client.post(
        url("initiative_confirm", draft), {"confirm-note": "Đơn vị đã áp dụng."}, follow=True
    )
    assert "Đã xác nhận; hồ sơ đã được gửi đến cơ quan tiếp nhận." in response.content.decode()
    assert Initiative.objects.get(pk=draft.pk).confirmation_note == "Đơn vị đã áp dụng."

    client.force_login(people.reform_officer)
    response = client.post(url("initiative_return", draft), {"comment": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode() or "errorlist" in response.content.decode()
    assert status_of(draft) == InitiativeStatus.SUBMITTED
    response = client.post(url("initiative_return", draft), {"comment": "Bổ sung số liệu."})
    # Back with its authors, the dossier is out of the officer's sight: they land on the campaign.
    assert response.status_code == 302
    assert response["Location"] == draft.campaign.get_absolute_url()  # type: ignore[union-attr]
    assert status_of(draft) == InitiativeStatus.RETURNED

    client.force_login(people.unit_staff)
    html = page(client, people.unit_staff, draft)
    assert "Bổ sung số liệu." in html
    assert "Gửi lại hồ sơ đã bổ sung" in html
    draft.refresh_from_db()
    client.post(url("initiative_submit", draft), {"version": draft.version})
    client.force_login(people.unit_head)
    client.post(url("initiative_confirm", draft), {"confirm-note": ""})

    client.force_login(people.reform_officer)
    today = clock.today()
    response = client.post(
        url("initiative_accept", draft), {"accept-accepted_on": today.strftime("%d/%m/%Y")}, follow=True
    )
    html = response.content.decode()
    draft.refresh_from_db()
    assert draft.status == InitiativeStatus.ACCEPTED
    assert draft.revision == 2
    assert (
        f"Đã tiếp nhận hồ sơ, giấy biên nhận số 01/GBN-SNV; hạn trả kết quả {draft.result_due_on:%d/%m/%Y}."
        in html
    )
    assert url("initiative_document", draft, kind="receipt") in html


def test_pressing_a_button_twice_explains_instead_of_failing(
    client: Client, draft: Initiative, people: People
) -> None:
    client.force_login(people.unit_staff)
    client.post(url("initiative_submit", draft), {"version": draft.version})
    response = client.post(url("initiative_submit", draft), {"version": draft.version}, follow=True)
    assert response.status_code == 200
    assert "Hồ sơ đang ở trạng thái “Chờ thủ trưởng đơn vị xác nhận”" in response.content.decode()


def test_a_stale_page_cannot_submit(client: Client, draft: Initiative, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(url("initiative_submit", draft), {"version": draft.version + 1}, follow=True)
    assert "người khác thay đổi" in response.content.decode()
    assert status_of(draft) == InitiativeStatus.DRAFT


def test_an_incomplete_dossier_is_explained_on_the_page(
    client: Client, org: Org, people: People, campaign: Campaign
) -> None:
    draft = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"benefits": ""}
    )
    client.force_login(people.unit_staff)
    response = client.post(url("initiative_submit", draft), {"version": draft.version}, follow=True)
    assert (
        "Hồ sơ chưa đủ nội dung để gửi. Vui lòng bổ sung: 7.3. Lợi ích kinh tế" in response.content.decode()
    )
    assert status_of(draft) == InitiativeStatus.DRAFT


def test_a_bad_acceptance_date_is_refused(client: Client, draft: Initiative, people: People) -> None:
    send(draft, people)
    client.force_login(people.reform_officer)
    response = client.post(url("initiative_accept", draft), {"accept-accepted_on": "31/02/2024"}, follow=True)
    assert "Ngày không hợp lệ" in response.content.decode()
    tomorrow = clock.today() + datetime.timedelta(days=1)
    response = client.post(
        url("initiative_accept", draft), {"accept-accepted_on": f"{tomorrow:%d/%m/%Y}"}, follow=True
    )
    assert "Ngày tiếp nhận không được sau ngày hôm nay." in response.content.decode()
    assert status_of(draft) == InitiativeStatus.SUBMITTED


def test_a_confirmation_note_that_is_too_long_is_refused(
    client: Client, draft: Initiative, people: People
) -> None:
    submit(draft, people.unit_staff)
    client.force_login(people.unit_head)
    response = client.post(url("initiative_confirm", draft), {"confirm-note": "x" * 2001}, follow=True)
    assert response.status_code == 200
    assert "2000" in response.content.decode()  # "at most 2000 characters"
    assert status_of(draft) == InitiativeStatus.AWAITING_CONFIRMATION


# --- Query budgets -------------------------------------------------------------------------------


def many_authors(count: int, lead: User) -> list[dict[str, Any]]:
    share = Decimal(100) / count
    return [
        {
            "full_name": f"Tác giả số {n}",
            "date_of_birth": datetime.date(1980, 1, 1) + datetime.timedelta(days=n),
            "share": share,
            "is_lead": n == 0,
            "user": lead if n == 0 else None,
        }
        for n in range(count)
    ]


def heavy_dossier(org: Org, people: People, campaign: Campaign, authors: int, files: int) -> Initiative:
    initiative = complete_draft(
        author=people.unit_staff,
        unit=org.science,
        campaign=campaign,
        authors=many_authors(authors, people.unit_staff),
    )
    for n in range(files):
        attachment_add(
            initiative=initiative,
            actor=people.unit_staff,
            upload=SimpleUploadedFile(
                f"Bảng số liệu {n}.docx", _docx_bytes(), content_type="application/octet-stream"
            ),
        )
    return initiative


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Số liệu minh chứng")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("authors", "files"), [(2, 0), (25, 8)])
def test_the_actions_partial_has_a_fixed_query_budget(
    org: Org, people: People, campaign: Campaign, authors: int, files: int, django_assert_max_num_queries: Any
) -> None:
    initiative = heavy_dossier(org, people, campaign, authors, files)
    send(initiative, people)
    request = RequestFactory().get("/")
    request.user = people.reform_officer
    loaded = initiative_for_page().get(pk=initiative.pk)
    with django_assert_max_num_queries(4):
        html = render_to_string(
            "initiatives/dossiers/_actions.html",
            {"initiative": loaded, "user": people.reform_officer},
            request,
        )
    assert url("initiative_accept", initiative) in html


@pytest.mark.parametrize("kind", ["application", "description", "receipt"])
def test_a_document_download_has_a_fixed_query_budget(
    client: Client,
    org: Org,
    people: People,
    campaign: Campaign,
    kind: str,
    django_assert_max_num_queries: Any,
) -> None:
    initiative = heavy_dossier(org, people, campaign, 25, 8)
    send(initiative, people)
    from caicach.initiatives.workflow.services import initiative_accept

    initiative_accept(initiative=initiative, actor=people.reform_officer)
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(12):
        response = client.get(url("initiative_document", initiative, kind=kind))
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_the_detail_page_of_a_received_dossier_keeps_its_budget(
    client: Client, org: Org, people: People, campaign: Campaign, django_assert_max_num_queries: Any
) -> None:
    small = heavy_dossier(org, people, campaign, 2, 0)
    big = heavy_dossier(org, people, campaign, 25, 8)
    for initiative in (small, big):
        send(initiative, people)
    client.force_login(people.reform_officer)
    client.get(small.get_absolute_url())
    forget_kept()  # each visit counted as the first after a write (the council card is kept)
    with django_assert_max_num_queries(40) as small_queries:
        client.get(small.get_absolute_url())
    forget_kept()
    with django_assert_max_num_queries(40) as big_queries:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)


def test_a_district_officer_outside_the_campaign_gets_404_everywhere(
    client: Client, org: Org, draft: Initiative, people: People
) -> None:
    officer = person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER)
    send(draft, people)
    client.force_login(officer)
    assert client.get(url("initiative_return", draft)).status_code == 404
    assert client.post(url("initiative_accept", draft)).status_code == 404
    assert client.get(url("initiative_document", draft, kind="application")).status_code == 404
    assert status_of(draft) == InitiativeStatus.SUBMITTED


def test_unknown_documents_and_missing_receipts_are_404(
    client: Client, draft: Initiative, people: People
) -> None:
    client.force_login(people.unit_staff)
    assert client.get(url("initiative_document", draft, kind="receipt")).status_code == 404
    assert client.get(url("initiative_document", draft, kind="thu-khac")).status_code == 404
    assert client.post(url("initiative_document_pdf", draft, kind="receipt")).status_code == 404
    assert (
        client.get(
            reverse("initiatives:initiative_document", kwargs={"pk": 999999, "kind": "application"})
        ).status_code
        == 404
    )
