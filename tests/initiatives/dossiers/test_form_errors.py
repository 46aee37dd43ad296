"""The dossier form reports every problem of a post at once, in a summary at the top whose
links lead to each field: a refused birth date no longer hides shares that miss 100."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role
from caicach.initiatives.models import Campaign, Initiative
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.dossiers.test_dossier_pages import author_post, edit_post, login
from tests.initiatives.factories import make_draft, open_campaign, seed_authors


@pytest.fixture
def dossier(org: Org, people: People) -> Initiative:
    campaign: Campaign = open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )
    co_author = person("dongtacgia", org.commune, Role.UNIT_STAFF, full_name="Đông Thị Huệ")
    return make_draft(
        actor=people.unit_staff, unit=org.science, campaign=campaign, authors=seed_authors(co_author)
    )


def summary_links(html: str) -> dict[str, str]:
    """The summary's links as {anchor: text}."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return {
        a: re.sub(r"\s+", " ", t).strip()
        for a, t in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match[0], re.S)
    }


def test_a_bad_birth_date_and_shares_missing_100_are_reported_together(
    client: Client, dossier: Initiative, people: People
) -> None:
    rows = seed_authors()
    rows[0]["share"] = "20"  # 20 + 30 + 40 = 90
    data = edit_post(dossier, **author_post(rows, initial=3))
    data["authors-1-date_of_birth"] = "31/02/1982"
    response = login(client, people.unit_staff).post(
        reverse("initiatives:initiative_edit", args=[dossier.pk]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    links = summary_links(html)
    assert "Dòng 2 · Ngày sinh: Ngày không hợp lệ" in links["id_authors-1-date_of_birth"]
    total = "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 90%)."
    assert total in links.values()
    assert 'id="id_authors-1-date_of_birth"' in html  # the anchor exists on the page
    dossier.refresh_from_db()
    assert dossier.version == 1


def test_a_future_birth_date_links_to_that_row_s_birth_date(
    client: Client, dossier: Initiative, people: People
) -> None:
    data = edit_post(dossier)
    data["authors-2-date_of_birth"] = "01/01/2999"
    data["title"] = ""
    html = login(client, people.unit_staff).post(
        reverse("initiatives:initiative_edit", args=[dossier.pk]), data
    )
    links = summary_links(html.content.decode())
    # The form refuses it beside the row's box (a birth date 16 to 100 years back).
    assert links["id_authors-2-date_of_birth"].startswith("Dòng 3 · Ngày sinh: Ngày sinh phải từ ngày ")
    assert links["id_title"].startswith("Tên sáng kiến: ")  # the form's own errors come first
    assert list(links)[-1] == "id_authors-2-date_of_birth"


def test_a_refused_field_is_not_reported_twice(client: Client, dossier: Initiative, people: People) -> None:
    data = edit_post(dossier)
    data["authors-0-date_of_birth"] = "không rõ"
    html = (
        login(client, people.unit_staff)
        .post(reverse("initiatives:initiative_edit", args=[dossier.pk]), data)
        .content.decode()
    )
    links = summary_links(html)
    assert list(links) == ["id_authors-0-date_of_birth"]


def test_a_page_without_errors_has_no_summary(client: Client, dossier: Initiative, people: People) -> None:
    html = login(client, people.unit_staff).get(reverse("initiatives:initiative_edit", args=[dossier.pk]))
    assert "error-summary" not in html.content.decode()


def test_adding_a_row_judges_nothing_yet(client: Client, dossier: Initiative, people: People) -> None:
    data = edit_post(dossier, add_author="1")
    data["authors-1-date_of_birth"] = "31/02/1982"
    html = login(client, people.unit_staff).post(
        reverse("initiatives:initiative_edit", args=[dossier.pk]), data
    )
    assert "error-summary" not in html.content.decode()
