"""The dossier pages: who may open which (a matrix by persona and state), creating a dossier
through the form (inside a campaign, both layouts), editing with the authors formset (adding
a row without JavaScript, keeping every value when the table is refused, stale edits), and
query ceilings that do not grow with authors, files or versions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Role, User
from caicach.core.once import FIELD, new_token
from caicach.initiatives.dossiers.services import version_record
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    Initiative,
    InitiativeAttachment,
    InitiativeKind,
    InitiativeStatus,
    InitiativeVersion,
)
from tests.conftest import PASSWORD, Org, People
from tests.core.factories import person
from tests.initiatives.factories import SEED_TITLE, make_draft, open_campaign, seed_authors


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )


@pytest.fixture
def cast(org: Org, people: People) -> dict[str, User]:
    return {
        "author": people.unit_staff,
        "co_author": person("dongtacgia", org.commune, Role.UNIT_STAFF, full_name="Đông Thị Huệ"),
        "unit_head": people.unit_head,
        "colleague": person("dongnghiep", org.science, Role.UNIT_STAFF, full_name="Đồng Nghiệp"),
        "reform_officer": people.reform_officer,
        "council_member": people.council_member,
        "outsider": people.outsider,
        "admin": people.admin,
    }


@pytest.fixture
def dossier(campaign: Campaign, org: Org, cast: dict[str, User]) -> Initiative:
    initiative = make_draft(
        actor=cast["author"], unit=org.science, campaign=campaign, authors=seed_authors(cast["co_author"])
    )
    # The council exists and the member sits on it, but nothing is assigned to them.
    council = Council.objects.create(campaign=campaign, name="Hội đồng sáng kiến")
    CouncilMember.objects.create(council=council, user=cast["council_member"])
    return initiative


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


VIEWERS_OF_DRAFT = {"author", "co_author", "unit_head", "admin"}
EDITORS_OF_DRAFT = {"author", "co_author", "admin"}
VIEWERS_OF_SUBMITTED = {"author", "co_author", "unit_head", "reform_officer", "admin"}


@pytest.mark.parametrize("page", ["initiative_detail", "initiative_compare", "initiative_edit"])
@pytest.mark.parametrize("status", [InitiativeStatus.DRAFT, InitiativeStatus.SUBMITTED])
def test_who_may_open_each_dossier_page(
    client: Client, dossier: Initiative, cast: dict[str, User], page: str, status: str
) -> None:
    Initiative.objects.filter(pk=dossier.pk).update(status=status)
    if page == "initiative_edit":
        allowed = EDITORS_OF_DRAFT if status == InitiativeStatus.DRAFT else set()
    else:
        allowed = VIEWERS_OF_DRAFT if status == InitiativeStatus.DRAFT else VIEWERS_OF_SUBMITTED
    # Editing a dossier already sent: those who see it land on its page with a message.
    stale = VIEWERS_OF_SUBMITTED if page == "initiative_edit" and status != InitiativeStatus.DRAFT else set()
    url = reverse(f"initiatives:{page}", args=[dossier.pk])
    for key, user in cast.items():
        client.logout()
        response = login(client, user).get(url)
        expected = 200 if key in allowed else 302 if key in stale else 404
        assert response.status_code == expected, (key, page, status)
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_assigned_council_member_sees_the_dossier_under_review(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    from caicach.initiatives.models import ReviewAssignment

    Initiative.objects.filter(pk=dossier.pk).update(status=InitiativeStatus.IN_REVIEW)
    member = CouncilMember.objects.get(user=cast["council_member"])
    url = reverse("initiatives:initiative_detail", args=[dossier.pk])
    assert login(client, cast["council_member"]).get(url).status_code == 404
    ReviewAssignment.objects.create(initiative=dossier, member=member)
    assert client.get(url).status_code == 200


def test_the_page_shows_every_section_the_authors_and_the_partials(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    Initiative.objects.filter(pk=dossier.pk).update(necessity="Dòng một\nDòng hai")
    response = login(client, cast["author"]).get(reverse("initiatives:initiative_detail", args=[dossier.pk]))
    html = response.content.decode()
    assert SEED_TITLE in html
    assert "Dòng một<br>Dòng hai" in html
    for label in ("4. Giải pháp cũ thường làm và nhược điểm", "7.3. Lợi ích kinh tế, xã hội của sáng kiến"):
        assert label in html
    for name in ("Lê Tuấn Phú", "Nguyễn Phương Thảo", "Đông Thị Huệ", "28/01/1967"):
        assert name in html
    assert "Sửa hồ sơ" in html
    assert "Tạo hồ sơ sáng kiến" in html  # the timeline's label for the create event
    used = {t.name for t in response.templates}
    assert {
        "initiatives/dossiers/_actions.html",
        "initiatives/review/_dossier_panel.html",
        "initiatives/recognition/_dossier_panel.html",
        "core/_timeline.html",
    } <= used


def test_the_unit_head_sees_the_draft_without_the_edit_button(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    html = (
        login(client, cast["unit_head"])
        .get(reverse("initiatives:initiative_detail", args=[dossier.pk]))
        .content.decode()
    )
    assert SEED_TITLE in html
    assert reverse("initiatives:initiative_edit", args=[dossier.pk]) not in html


# --- Creating -----------------------------------------------------------------------------------


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def author_post(rows: list[dict[str, Any]], initial: int = 0) -> dict[str, str]:
    data = management("authors", len(rows), initial)
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name == "is_lead":
                if value:
                    data[f"authors-{index}-is_lead"] = "on"
            elif name == "user":
                data[f"authors-{index}-user"] = str(value.pk) if value else ""
            elif name == "date_of_birth":
                data[f"authors-{index}-date_of_birth"] = f"{value:%d/%m/%Y}" if value else ""
            else:
                data[f"authors-{index}-{name}"] = str(value)
    return data


def create_post(org: Org, **extra: str) -> dict[str, str]:
    data = {
        "unit": str(org.science.pk),
        "title": "Số hóa hồ sơ một cửa",
        "first_applied_on": "29/02/2024",
        "essence": "Bản chất.",
        "previous_solution": "Giấy tờ.",
        **author_post(seed_authors()),
        FIELD: new_token(),  # each call a fresh page
    }
    data.update(extra)
    return data


def test_unit_staff_create_a_dossier_inside_a_campaign(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    url = reverse("initiatives:initiative_create") + f"?campaign={campaign.pk}"
    page = login(client, people.unit_staff).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Sở Nội vụ"' in html  # Kính gửi: the receiving unit
    assert "Nguyễn Thị Cán Bộ" in html  # the author's own row, prefilled
    response = client.post(url, create_post(org))
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.campaign == campaign
    assert initiative.first_applied_on == datetime.date(2024, 2, 29)
    assert initiative.authorships.count() == 3
    assert initiative.authorships.get(is_lead=True).full_name == "Đông Thị Huệ"


def test_the_experience_layout_shows_its_own_sections(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    url = reverse("initiatives:initiative_create") + "?kind=experience"
    html = login(client, people.unit_staff).get(url).content.decode()
    assert "Bối cảnh của vấn đề" in html
    assert "Giải pháp cũ thường làm" not in html
    data = create_post(org, campaign=str(campaign.pk), context="Bối cảnh.", lessons="Bài học.")
    del data["previous_solution"]
    client.post(url, data)
    initiative = Initiative.objects.get()
    assert initiative.kind == InitiativeKind.EXPERIENCE
    assert (initiative.context, initiative.lessons) == ("Bối cảnh.", "Bài học.")


def test_a_closed_campaign_shows_why_and_offers_no_form(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=datetime.date(2024, 5, 15), window_end=datetime.date(2024, 6, 25)
    )
    url = reverse("initiatives:initiative_create") + f"?campaign={campaign.pk}"
    html = login(client, people.unit_staff).get(url).content.decode()
    assert "Đợt phát động đã hết hạn nhận hồ sơ ngày 25/06/2024." in html
    assert 'name="title"' not in html
    client.post(url, create_post(org))
    assert not Initiative.objects.exists()


def test_who_may_open_the_create_page(client: Client, cast: dict[str, User]) -> None:
    url = reverse("initiatives:initiative_create")
    for key, expected in (
        ("author", 200),
        ("unit_head", 200),
        ("outsider", 200),  # staff of their own commune create for it
        ("admin", 200),
        ("reform_officer", 404),
        ("council_member", 404),
    ):
        client.logout()
        assert login(client, cast[key]).get(url).status_code == expected, key


def test_a_refused_authors_table_keeps_every_value_and_saves_nothing(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    rows = seed_authors()
    rows[0]["share"] = "29,99"
    rows[1]["contribution"] = "Viết mục 7.1 và 7.2"
    url = reverse("initiatives:initiative_create")
    response = login(client, people.unit_staff).post(
        url, create_post(org, campaign=str(campaign.pk), **author_post(rows))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 99,99%)." in html
    assert 'value="29,99"' in html
    assert "Viết mục 7.1 và 7.2" in html
    assert "Số hóa hồ sơ một cửa" in html
    assert 'value="29/02/2024"' in html
    assert not Initiative.objects.exists()
    assert not Authorship.objects.exists()


def test_a_duplicate_row_is_marked_on_that_row(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    rows = seed_authors()
    rows[1].update(full_name="lê tuấn phú", date_of_birth=rows[0]["date_of_birth"])
    response = login(client, people.unit_staff).post(
        reverse("initiatives:initiative_create"),
        create_post(org, campaign=str(campaign.pk), **author_post(rows)),
    )
    html = response.content.decode()
    assert "Có hai dòng tác giả trùng nhau: dòng 1 và dòng 2 (lê tuấn phú)." in html
    assert "author-row has-errors" in html
    assert not Initiative.objects.exists()


def test_adding_a_row_without_javascript_keeps_the_values_and_saves_nothing(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    data = create_post(org, campaign=str(campaign.pk), add_author="1")
    response = login(client, people.unit_staff).post(reverse("initiatives:initiative_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="authors-TOTAL_FORMS" value="4"' in html
    assert 'name="authors-3-full_name"' in html
    assert "Số hóa hồ sơ một cửa" in html
    assert "Lê Tuấn Phú" in html
    assert "errorlist" not in html  # nothing was judged yet
    assert not Initiative.objects.exists()


def test_adding_a_row_with_htmx_returns_only_the_table(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    data = create_post(org, campaign=str(campaign.pk), add_author="1")
    response = login(client, people.unit_staff).post(
        reverse("initiatives:initiative_create"), data, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset class="card author-table" id="author-table">')
    assert 'name="authors-3-full_name"' in html
    assert "<html" not in html


def test_blank_and_deleted_rows_are_dropped(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    rows = [*seed_authors(), {"full_name": "Xóa đi", "share": "10"}, {"full_name": ""}]
    data = create_post(org, campaign=str(campaign.pk), **author_post(rows))
    data["authors-3-DELETE"] = "on"
    login(client, people.unit_staff).post(reverse("initiatives:initiative_create"), data)
    initiative = Initiative.objects.get()
    assert list(initiative.authorships.values_list("full_name", flat=True)) == [
        "Lê Tuấn Phú",
        "Nguyễn Phương Thảo",
        "Đông Thị Huệ",
    ]


# --- Editing ------------------------------------------------------------------------------------


def edit_post(initiative: Initiative, **extra: str) -> dict[str, str]:
    data = {
        "version": str(initiative.version),
        "title": initiative.title,
        "addressee": initiative.addressee,
        "first_applied_on": "29/02/2024",
        "essence": initiative.essence,
        "previous_solution": initiative.previous_solution,
        **author_post(seed_authors(), initial=3),
    }
    data.update(extra)
    return data


def test_the_edit_form_is_prefilled_and_saves(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    url = reverse("initiatives:initiative_edit", args=[dossier.pk])
    html = login(client, cast["co_author"]).get(url).content.decode()
    assert 'name="version" value="1"' in html
    assert 'value="Lê Tuấn Phú"' in html
    assert 'value="30"' in html
    assert 'value="28/01/1967"' in html
    response = client.post(url, edit_post(dossier, necessity="Vì cần thiết."))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.necessity == "Vì cần thiết."
    assert dossier.version == 2
    assert AuditEvent.objects.filter(action="initiative.update", actor=cast["co_author"]).exists()


def test_a_stale_edit_form_is_refused_with_the_shared_message(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    url = reverse("initiatives:initiative_edit", args=[dossier.pk])
    stale = edit_post(dossier, title="Bản cũ")
    login(client, cast["author"]).post(url, edit_post(dossier, title="Bản mới"))
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Dữ liệu đã được người khác thay đổi" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.title == "Bản mới"


def test_invalid_authors_on_edit_keep_the_typed_text(
    client: Client, dossier: Initiative, cast: dict[str, User]
) -> None:
    rows = seed_authors()
    rows[2]["is_lead"] = False
    data = edit_post(dossier, benefits="Lợi ích mới chưa lưu", **author_post(rows, initial=3))
    del data["authors-2-is_lead"]  # an unticked box is absent from the post
    response = login(client, cast["author"]).post(
        reverse("initiatives:initiative_edit", args=[dossier.pk]), data
    )
    html = response.content.decode()
    assert "Phải có đúng một tác giả chính." in html
    assert "Lợi ích mới chưa lưu" in html
    dossier.refresh_from_db()
    assert dossier.benefits == ""
    assert dossier.version == 1


# --- Query ceilings ------------------------------------------------------------------------------


def _load_many(dossier: Initiative, author: User) -> None:
    Authorship.objects.filter(initiative=dossier).delete()
    Authorship.objects.bulk_create(
        Authorship(
            initiative=dossier,
            position=n,
            full_name=f"Tác giả {n}",
            share=Decimal("3.00") if n > 1 else Decimal("13.00"),
            is_lead=n == 1,
            user=author if n == 1 else None,
        )
        for n in range(1, 31)
    )
    InitiativeAttachment.objects.bulk_create(
        InitiativeAttachment(
            initiative=dossier,
            file=f"initiatives/x/{n}.pdf",
            original_name=f"Tệp {n}.pdf",
            content_type="application/pdf",
            size=1000 + n,
            sha256="0" * 64,
            uploaded_by=author,
        )
        for n in range(20)
    )
    for _n in range(10):
        version_record(initiative=dossier, actor=author, note="Nộp")


@pytest.mark.parametrize("page", ["initiative_detail", "initiative_edit", "initiative_compare"])
def test_dossier_pages_run_a_bounded_number_of_queries(
    client: Client, dossier: Initiative, cast: dict[str, User], page: str, django_assert_max_num_queries: Any
) -> None:
    _load_many(dossier, cast["author"])
    assert InitiativeVersion.objects.filter(initiative=dossier).count() == 10
    login(client, cast["author"])
    url = reverse(f"initiatives:{page}", args=[dossier.pk])
    if page == "initiative_compare":
        url += "?a=1&b=10"
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    if page == "initiative_detail":
        html = response.content.decode()
        assert "Tác giả 30" in html
        assert "Tệp 19.pdf" in html
