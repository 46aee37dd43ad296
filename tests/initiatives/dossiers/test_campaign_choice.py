"""No orphan dossiers: from the menu the author picks the campaign the dossier goes to, among
those taking dossiers today that one of their units may enter (the ``enter`` rule and its
query twin ``campaigns_to_enter``); with none, the page says why and offers no form."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import User
from caicach.core.permissions import can
from caicach.initiatives.dossiers.rules import campaigns_to_enter
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative
from tests.conftest import Org, People
from tests.initiatives.dossiers.test_dossier_pages import create_post, login
from tests.initiatives.factories import make_draft, open_campaign

NO_CAMPAIGN = "Hiện không có đợt phát động nào đang nhận hồ sơ sáng kiến mà đơn vị của bạn được tham gia"


def _campaign(org: Org, people: People, *eligible: object, **changes: object) -> Campaign:
    campaign = open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=eligible,  # type: ignore[arg-type]
    )
    if changes:
        Campaign.objects.filter(pk=campaign.pk).update(**changes)
        campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaigns(org: Org, people: People) -> dict[str, Campaign]:
    today = clock.today()
    return {
        "open": _campaign(org, people, org.science),
        "other_units": _campaign(org, people, org.commune),
        "window_passed": _campaign(
            org,
            people,
            org.science,
            window_start=today - datetime.timedelta(days=60),
            window_end=today - datetime.timedelta(days=1),
        ),
        "not_yet": _campaign(
            org,
            people,
            org.science,
            window_start=today + datetime.timedelta(days=1),
            window_end=today + datetime.timedelta(days=30),
        ),
        "draft": _campaign(org, people, org.science, status=CampaignStatus.DRAFT),
        "closed": _campaign(org, people, org.science, status=CampaignStatus.CLOSED),
    }


def test_the_enter_rule_and_its_twin_agree(campaigns: dict[str, Campaign], people: People) -> None:
    expected = {
        "unit_staff": {"open"},
        "unit_head": {"open"},
        "admin": {"open", "other_units"},
        "reform_officer": set(),
        "council_member": set(),
        "outsider": set(),
    }
    for persona, names in expected.items():
        user: User = getattr(people, persona)
        listed = set(campaigns_to_enter(user))
        allowed = {c for c in campaigns.values() if can(user, "enter", c)}
        assert listed == allowed, persona
        assert listed == {campaigns[n] for n in names}, persona


def test_the_menu_form_offers_only_the_campaigns_one_may_enter(
    client: Client, campaigns: dict[str, Campaign], org: Org, people: People
) -> None:
    url = reverse("initiatives:initiative_create")
    html = login(client, people.unit_staff).get(url).content.decode()
    start = html.index('name="campaign"')
    html = html[start : html.index("</select>", start)]
    assert f'<option value="{campaigns["open"].pk}"' in html
    for name in ("other_units", "window_passed", "not_yet", "draft", "closed"):
        assert f'<option value="{campaigns[name].pk}"' not in html, name


def test_a_dossier_from_the_menu_must_name_a_campaign(
    client: Client, campaigns: dict[str, Campaign], org: Org, people: People
) -> None:
    url = reverse("initiatives:initiative_create")
    client = login(client, people.unit_staff)
    response = client.post(url, create_post(org))
    assert response.status_code == 200
    assert "Vui lòng chọn đợt phát động để gửi hồ sơ." in response.content.decode()
    response = client.post(url, create_post(org, campaign=str(campaigns["window_passed"].pk)))
    assert response.status_code == 200
    assert not Initiative.objects.exists()
    response = client.post(url, create_post(org, campaign=str(campaigns["open"].pk)))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.campaign == campaigns["open"]
    assert initiative.addressee  # "Kính gửi" filled from the campaign


def test_without_an_open_campaign_the_page_says_why_and_offers_no_form(
    client: Client, org: Org, people: People
) -> None:
    _campaign(org, people, org.commune)  # open, but not to the author's unit
    url = reverse("initiatives:initiative_create")
    client = login(client, people.unit_staff)
    html = client.get(url).content.decode()
    assert NO_CAMPAIGN in html
    assert 'name="title"' not in html
    assert 'name="kind"' not in html
    client.post(url, create_post(org))
    assert not Initiative.objects.exists()


def test_a_dossier_outside_any_campaign_says_so_and_offers_no_sending(
    client: Client, org: Org, people: People
) -> None:
    orphan = make_draft(actor=people.unit_staff, unit=org.science)
    html = login(client, people.unit_staff).get(orphan.get_absolute_url()).content.decode()
    assert "Hồ sơ không thuộc đợt phát động nào nên không có hội đồng sáng kiến nào xem xét được" in html
    assert "Gửi hồ sơ cho thủ trưởng đơn vị" not in html


def test_a_dossier_in_a_campaign_offers_sending(client: Client, org: Org, people: People) -> None:
    draft = make_draft(
        actor=people.unit_staff, unit=org.science, campaign=_campaign(org, people, org.science)
    )
    html = login(client, people.unit_staff).get(draft.get_absolute_url()).content.decode()
    assert "không thuộc đợt phát động nào" not in html
    assert "Gửi hồ sơ cho thủ trưởng đơn vị" in html
