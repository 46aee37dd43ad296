"""The register of issued documents: who sees which units' numbers, filters, query count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import (
    DocumentType,
    Membership,
    Role,
)
from tests.conftest import Org, People
from tests.core.factories import person, take_number


def register_url(**params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("document_register") + (f"?{query}" if query else "")


@pytest.fixture
def numbered(org: Org) -> None:
    for _ in range(30):
        take_number(org.district)
    take_number(org.science, document_type=DocumentType.REPORT)
    take_number(org.home_affairs, day=datetime.date(2023, 3, 1))


def test_anonymous_users_are_sent_to_log_in(client: Client, org: Org) -> None:
    response = client.get(register_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["outsider", "unit_staff", "council_member", "committee_member"])
def test_people_without_a_register_role_get_404(client: Client, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    assert client.get(register_url()).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "office_officer"])
def test_admins_and_the_office_see_every_unit(
    client: Client, people: People, numbered: None, persona: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(getattr(people, persona))
    with django_assert_max_num_queries(12):
        response = client.get(register_url())
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 32
    assert len(page.object_list) == 25
    assert "30/KH-UBND" in response.content.decode()


def test_the_query_count_does_not_grow_with_rows(
    client: Client, people: People, org: Org, django_assert_max_num_queries: Any
) -> None:
    take_number(org.district)
    client.force_login(people.admin)
    client.get(register_url())
    for _ in range(40):
        take_number(org.district)
    with django_assert_max_num_queries(12):
        assert client.get(register_url(page=2)).status_code == 200


def test_a_unit_head_sees_only_their_units_numbers(client: Client, people: People, numbered: None) -> None:
    client.force_login(people.unit_head)
    response = client.get(register_url())
    assert response.status_code == 200
    assert [d.reference for d in response.context["page_obj"]] == ["01/BC-SKHCN"]


def test_the_provinces_reform_officer_sees_the_whole_province(
    client: Client, people: People, numbered: None
) -> None:
    client.force_login(people.reform_officer)  # Department of Home Affairs, under the province
    assert client.get(register_url()).context["page_obj"].paginator.count == 32


def test_a_district_reform_officer_sees_only_the_district(client: Client, org: Org, numbered: None) -> None:
    take_number(org.district_home_affairs, document_type=DocumentType.REPORT)
    take_number(org.commune, document_type=DocumentType.REPORT)
    client.force_login(person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER))
    page = client.get(register_url()).context["page_obj"]
    assert page.paginator.count == 31  # the district's 30 plans and its division's report
    assert {d.unit_id for d in page.paginator.object_list} == {org.district.pk, org.district_home_affairs.pk}


def test_filters_by_unit_type_and_year(client: Client, people: People, org: Org, numbered: None) -> None:
    client.force_login(people.admin)
    by_unit = client.get(register_url(unit=org.science.pk)).context["page_obj"]
    assert [d.reference for d in by_unit] == ["01/BC-SKHCN"]
    by_type = client.get(register_url(document_type="KH")).context["page_obj"]
    assert by_type.paginator.count == 31
    by_year = client.get(register_url(year=2023)).context["page_obj"]
    assert [d.reference for d in by_year] == ["01/KH-SNV"]


def test_a_unit_head_cannot_filter_into_another_unit(
    client: Client, people: People, org: Org, numbered: None
) -> None:
    client.force_login(people.unit_head)
    response = client.get(register_url(unit=org.district.pk))
    assert response.status_code == 200
    # The unit is not a valid choice for them: the filter is ignored, the scope stays.
    assert [d.reference for d in response.context["page_obj"]] == ["01/BC-SKHCN"]


def test_a_head_of_a_second_unit_sees_both(client: Client, org: Org, numbered: None) -> None:
    head = person("truong2", org.science, Role.UNIT_HEAD)
    Membership.objects.create(user=head, unit=org.district, role=Role.UNIT_HEAD)
    client.force_login(head)
    assert client.get(register_url()).context["page_obj"].paginator.count == 31
