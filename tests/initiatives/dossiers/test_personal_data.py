"""The authors' personal data — birth date, workplace (or residence), qualification, and the
people of the first application — is read only by those who need it: the dossier's own unit
(authors and head), the receiving office, the council members while they score it (and the
administrator). A council member whose round is closed still opens the dossier, without it;
the dossier list export and the public certificate page never carry it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.initiatives.models import (
    Campaign,
    Council,
    CouncilMember,
    Initiative,
    InitiativeStatus,
    ReviewAssignment,
    RoundStatus,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import dossier, make_campaign

BORN = "28/01/1967"  # the first seed author's birth date, as the page prints it
QUALIFICATION = "Thạc sỹ"
WORKPLACE = "Văn phòng UBND tỉnh"
PARTICIPANTS = "Trần Văn Áp Dụng; 12/03/1979; Phòng Tổng hợp"


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return make_campaign(org, people)


@pytest.fixture
def cast(org: Org, people: People) -> dict[str, User]:
    return {
        "author": people.unit_staff,
        "unit_head": people.unit_head,
        "colleague": person("dongnghiep", org.science, Role.UNIT_STAFF, full_name="Đồng Nghiệp"),
        "reform_officer": people.reform_officer,
        "reviewer": people.council_member,
        "other_member": person("hoidong3", org.home_affairs, Role.COUNCIL_MEMBER),
        "office_officer": people.office_officer,
        "leader": people.leader,
        "outsider": people.outsider,
        "admin": people.admin,
    }


def in_review(campaign: Campaign, org: Org, cast: dict[str, User], *, round_open: bool = True) -> Initiative:
    initiative = dossier(
        campaign, org.science, author_user=cast["author"], created_by=cast["author"],
        status=InitiativeStatus.IN_REVIEW,
    )  # fmt: skip
    Initiative.objects.filter(pk=initiative.pk).update(first_application_participants=PARTICIPANTS)
    council = Council.objects.create(
        campaign=campaign,
        name="Hội đồng sáng kiến",
        round_status=RoundStatus.OPEN if round_open else RoundStatus.CLOSED,
    )
    member = CouncilMember.objects.create(council=council, user=cast["reviewer"])
    CouncilMember.objects.create(council=council, user=cast["other_member"])
    ReviewAssignment.objects.create(initiative=initiative, member=member)
    return Initiative.objects.get(pk=initiative.pk)


NEED_IT = {"author", "unit_head", "reform_officer", "reviewer", "admin"}


@pytest.mark.parametrize("round_open", [True, False], ids=["scoring", "round closed"])
def test_only_those_who_need_it_may_see_the_authors_personal_data(
    round_open: bool, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = in_review(campaign, org, cast, round_open=round_open)
    allowed = {key for key, user in cast.items() if can(user, "view_personal_data", initiative)}
    assert allowed == (NEED_IT if round_open else NEED_IT - {"reviewer"})
    # Nobody sees the personal data of a dossier they may not open.
    assert all(can(cast[key], "view", initiative) for key in allowed)


@pytest.mark.parametrize("round_open", [True, False], ids=["scoring", "round closed"])
def test_the_dossier_page_shows_birth_dates_only_to_those_who_may_see_them(
    round_open: bool, client: Client, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = in_review(campaign, org, cast, round_open=round_open)
    for key, user in cast.items():
        client.force_login(user)
        response = client.get(initiative.get_absolute_url())
        if not can(user, "view", initiative):
            assert response.status_code == 404, key
            continue
        assert response.status_code == 200, key
        html = response.content.decode()
        shown = can(user, "view_personal_data", initiative)
        for detail in (BORN, QUALIFICATION, WORKPLACE, "Trần Văn Áp Dụng"):
            assert (detail in html) == shown, (key, detail)
        assert "Đông Thị Huệ" in html and "Chuyên viên" in html  # names and titles stay


def test_a_council_member_after_the_round_compares_versions_without_personal_data(
    client: Client, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = in_review(campaign, org, cast, round_open=False)
    compare = reverse("initiatives:initiative_compare", args=[initiative.pk]) + "?a=current&b=current"
    client.force_login(cast["reviewer"])
    html = client.get(compare).content.decode()
    assert "Đông Thị Huệ" in html
    for detail in (BORN, QUALIFICATION, WORKPLACE, "Trần Văn Áp Dụng"):
        assert detail not in html, detail
    client.force_login(cast["reform_officer"])
    html = client.get(compare).content.decode()
    assert BORN in html and QUALIFICATION in html and "Trần Văn Áp Dụng" in html


def test_the_application_form_is_printed_only_for_those_who_may_see_personal_data(
    client: Client, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = in_review(campaign, org, cast, round_open=False)

    def document(kind: str) -> str:
        return reverse("initiatives:initiative_document", kwargs={"pk": initiative.pk, "kind": kind})

    def pdf(kind: str) -> str:
        return reverse("initiatives:initiative_document_pdf", kwargs={"pk": initiative.pk, "kind": kind})

    client.force_login(cast["reviewer"])
    assert client.get(document("application")).status_code == 404
    assert client.post(pdf("application")).status_code == 404
    assert client.get(document("description")).status_code == 200
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert document("application") not in page and document("description") in page

    for key in ("reform_officer", "unit_head", "author"):
        client.force_login(cast[key])
        assert client.get(document("application")).status_code == 200, key
        assert document("application") in client.get(initiative.get_absolute_url()).content.decode()


def sheet(content: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("key", ["reform_officer", "author", "admin"])
def test_the_dossier_list_export_carries_no_personal_data(
    key: str, client: Client, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    """The list is for following dossiers (title, unit, authors and shares, status): even the
    receiving office, who may read the birth dates on each dossier, gets none in the list."""
    in_review(campaign, org, cast)
    client.force_login(cast[key])
    response = client.post(reverse("initiatives:initiative_export"))
    assert response.status_code == 200
    header, *rows = sheet(response.content)
    assert not {"Ngày sinh", "Ngày tháng năm sinh", "Trình độ chuyên môn", "Điện thoại", "Thư điện tử"} & set(
        header
    )
    assert rows and "Đông Thị Huệ (40%)" in str(rows)
    text = " ".join(str(cell) for row in rows for cell in row)
    for detail in ("1967", QUALIFICATION, WORKPLACE, "Trần Văn Áp Dụng"):
        assert detail not in text, detail
