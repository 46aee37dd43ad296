"""Reform officers create and edit campaigns within their jurisdiction only; anyone signed
in may open the campaign list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import can
from caicach.initiatives.campaigns.services import campaign_create, campaign_update
from caicach.initiatives.demo import SEED_CAMPAIGN
from caicach.initiatives.models import Campaign
from tests.conftest import Org, People
from tests.core.factories import person

OUT_OF_SCOPE = "thuộc phạm vi phụ trách"


@pytest.fixture
def district_officer(org: Org) -> User:
    return person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER)


def data_for(issuer: Unit, receiver: Unit | None = None) -> dict[str, object]:
    return {**SEED_CAMPAIGN, "issuing_unit": issuer, "receiving_unit": receiver or issuer}


def test_a_district_officer_creates_for_the_district(org: Org, district_officer: User) -> None:
    created = campaign_create(actor=district_officer, data=data_for(org.district, org.district_home_affairs))
    assert created.issuing_unit == org.district
    assert can(district_officer, "change", created)


@pytest.mark.parametrize("issuer", ["province", "other_commune", "home_affairs"])
def test_a_district_officer_cannot_issue_for_a_unit_outside_the_district(
    org: Org, district_officer: User, issuer: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        campaign_create(actor=district_officer, data=data_for(getattr(org, issuer), org.district))
    assert OUT_OF_SCOPE in caught.value.message_dict["issuing_unit"][0]
    assert not Campaign.objects.exists()


def test_the_province_officer_may_issue_for_any_unit_of_the_province(org: Org, people: People) -> None:
    for issuer in (org.province, org.district, org.commune):
        campaign_create(actor=people.reform_officer, data=data_for(issuer))
    assert Campaign.objects.count() == 3


def test_an_administrator_may_issue_for_any_unit(org: Org, people: People) -> None:
    campaign = campaign_create(actor=people.admin, data=data_for(org.other_commune))
    assert Campaign.objects.get(pk=campaign.pk).issuing_unit == org.other_commune


def test_someone_without_the_reform_role_cannot_create(org: Org, people: People) -> None:
    assert not can(people.unit_head, "initiatives.create_campaign")
    with pytest.raises(PermissionDenied):
        campaign_create(actor=people.unit_head, data=data_for(org.science))
    assert not Campaign.objects.exists()


def test_a_draft_cannot_be_moved_out_of_the_officers_jurisdiction(org: Org, district_officer: User) -> None:
    draft = campaign_create(actor=district_officer, data=data_for(org.district))
    with pytest.raises(ValidationError) as caught:
        campaign_update(
            campaign=draft, actor=district_officer, version=draft.version,
            data={"issuing_unit": org.other_commune},
        )  # fmt: skip
    assert "issuing_unit" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.issuing_unit == org.district
    # Editing other fields of a draft in scope still works.
    campaign_update(campaign=draft, actor=district_officer, version=draft.version, data={"contact": "a@b.vn"})


def test_every_signed_in_user_finds_the_initiatives_in_the_menu_and_the_campaigns_from_there(
    client: Client, people: People
) -> None:
    assert can(people.outsider, "initiatives.view_campaigns")
    client.force_login(people.unit_staff)
    menu = {item.key: item.url for item in client.get(reverse("home")).context["nav_items"]}
    assert menu["initiatives:initiative_list"] == reverse("initiatives:initiative_list") == "/sang-kien/"
    page = client.get(menu["initiatives:initiative_list"]).content.decode()
    assert f'href="{reverse("initiatives:campaign_list")}"' in page
