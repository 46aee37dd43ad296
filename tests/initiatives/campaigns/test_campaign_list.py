"""The campaign list shows exactly the campaigns the permission rule lets a user see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, UnitKind, User
from caicach.core.permissions import can
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.initiatives.models import Campaign
from tests.conftest import Org, People
from tests.core.factories import make_unit, person

LIST = reverse("initiatives:campaign_list")


@pytest.fixture
def campaigns(org: Org, people: People) -> dict[str, Campaign]:
    published = load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune],
    )  # fmt: skip
    # Issued by another district's committee: outside Châu Thành's jurisdiction.
    other_district = make_unit(
        "BCA", name="Ủy ban nhân dân huyện Bến Cầu", kind=UnitKind.DISTRICT_COMMITTEE, parent=org.province,
        document_symbol="UBND",
    )  # fmt: skip
    elsewhere = load_seed_campaign(
        actor=people.admin, issuing_unit=other_district, receiving_unit=other_district, eligible_units=[],
    )  # fmt: skip
    return {"published": published, "draft": draft, "elsewhere": elsewhere}


def test_the_list_query_agrees_with_the_view_rule_for_every_persona(
    campaigns: dict[str, Campaign], people: People, org: Org
) -> None:
    commune_staff = person("xa.canbo", org.commune, Role.UNIT_STAFF)
    district_staff = person("huyen.canbo", org.district_home_affairs, Role.UNIT_STAFF)
    district_officer = person("huyen.cchc", org.district_home_affairs, Role.REFORM_OFFICER)
    everyone: list[User] = [*vars(people).values(), commune_staff, district_staff, district_officer]
    for user in everyone:
        listed = set(campaigns_for(user).values_list("pk", flat=True))
        allowed = {c.pk for c in campaigns.values() if can(user, "view", c)}
        assert listed == allowed, user.username
    # The rule is not trivially all-or-nothing: an eligible commune sees only the issued plan.
    assert set(campaigns_for(commune_staff)) == {campaigns["published"]}
    assert set(campaigns_for(people.outsider)) == set()
    # A district's reform officer sees the district's campaigns, drafts included, and not
    # those of another committee; the province's Home Affairs officer sees them all.
    assert set(campaigns_for(district_officer)) == {campaigns["published"], campaigns["draft"]}
    assert set(campaigns_for(people.reform_officer)) == set(campaigns.values())


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_outsider_sees_an_empty_list(
    client: Client, campaigns: dict[str, Campaign], people: People
) -> None:
    client.force_login(people.outsider)
    response = client.get(LIST)
    assert response.status_code == 200
    assert campaigns["published"].title not in response.content.decode()


def test_the_list_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    eligible = [make_unit(f"E{i}") for i in range(10)]
    for _ in range(30):
        load_seed_campaign(
            actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
            eligible_units=eligible,
        )  # fmt: skip
    client.force_login(people.reform_officer)
    # One query more than a plain member's list: the unit tree for the officer's jurisdiction.
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("dot-phat-dong/") >= 25


def test_the_campaign_page_shows_its_timeline(
    client: Client, campaigns: dict[str, Campaign], people: People
) -> None:
    client.force_login(people.reform_officer)
    html = client.get(campaigns["published"].get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Ban hành kế hoạch, cấp số" in html and "Lập kế hoạch phát động" in html
