"""The campaign pages: who may open each one (persona × view), the live table of eligible
units with their dossier counts, the window's state, extending and closing from the page,
and a query budget that does not grow with units or dossiers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import AuditEvent, Unit, UnitKind
from caicach.initiatives.campaigns import queries as campaign_queries
from caicach.initiatives.campaigns.queries import campaign_progress
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.models import Campaign, CampaignStatus, Initiative, InitiativeStatus
from tests.conftest import Org, People
from tests.issuing import confirm_issue

S = InitiativeStatus
TODAY = clock.today()
PERSONAS = (
    "admin", "reform_officer", "office_officer", "unit_head", "unit_staff", "council_member",
    "committee_member", "leader", "outsider",
)  # fmt: skip


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    """Issued by the province committee, received by Home Affairs, open today; Science &
    Technology and a commune take part."""
    issued = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip
    Campaign.objects.filter(pk=issued.pk).update(
        window_start=TODAY - datetime.timedelta(days=5), window_end=TODAY + datetime.timedelta(days=20)
    )
    issued.refresh_from_db()
    return issued


@pytest.fixture
def draft(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )  # fmt: skip


def url(name: str, campaign: Campaign | None = None) -> str:
    return reverse(f"initiatives:{name}", kwargs={"pk": campaign.pk} if campaign else None)


# Who sees an issued campaign: the issuing committee's people, Home Affairs (receiving unit,
# and the reform officer's jurisdiction), the eligible units. Not the Office, not outsiders.
SEE_ISSUED = {
    "admin",
    "reform_officer",
    "unit_head",
    "unit_staff",
    "council_member",
    "committee_member",
    "leader",
}
SEE_DRAFT = SEE_ISSUED - {"unit_head", "unit_staff"}
CHANGE = {"admin", "reform_officer"}


def expected(status: int, allowed: set[str], persona: str) -> int:
    return status if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_campaign_page(
    client: Client, campaign: Campaign, draft: Campaign, people: People, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    got = {
        "list": client.get(url("campaign_list")).status_code,
        "detail": client.get(url("campaign_detail", campaign)).status_code,
        "draft_detail": client.get(url("campaign_detail", draft)).status_code,
        "units": client.get(url("campaign_units", campaign)).status_code,
        "plan": client.get(url("campaign_plan", campaign)).status_code,
        "create": client.get(url("campaign_create")).status_code,
        "edit": client.get(url("campaign_update", draft)).status_code,
        "edit_issued": client.get(url("campaign_update", campaign)).status_code,
        "extend": client.get(url("campaign_extend", campaign)).status_code,
        "extend_draft": client.get(url("campaign_extend", draft)).status_code,
    }
    assert got == {
        "list": 200,
        "detail": expected(200, SEE_ISSUED, persona),
        "draft_detail": expected(200, SEE_DRAFT, persona),
        "units": expected(200, SEE_ISSUED, persona),
        "plan": expected(200, SEE_ISSUED, persona),
        "create": expected(200, CHANGE, persona),
        "edit": expected(200, CHANGE, persona),
        "edit_issued": expected(302, CHANGE, persona),  # back to the page: an issued plan is not edited
        "extend": expected(200, CHANGE, persona),
        "extend_draft": expected(302, CHANGE, persona),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_close_publish_and_extend(
    client: Client, campaign: Campaign, draft: Campaign, people: People, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    closing = client.post(url("campaign_close", campaign), {"version": campaign.version})
    # Publishing asks for confirmation of the number first; the confirmed POST issues.
    asking = client.post(url("campaign_publish", draft))
    assert asking.status_code == expected(200, CHANGE, persona)
    publishing = confirm_issue(client, url("campaign_publish", draft)) if persona in CHANGE else asking
    assert closing.status_code == expected(302, CHANGE, persona)
    assert publishing.status_code == expected(302, CHANGE, persona)
    campaign.refresh_from_db()
    draft.refresh_from_db()
    assert (campaign.status == CampaignStatus.CLOSED) == (persona in CHANGE)
    assert (draft.status == CampaignStatus.PUBLISHED) == (persona in CHANGE)
    extending = client.post(
        url("campaign_extend", campaign),
        {
            "new_end": f"{TODAY + datetime.timedelta(days=40):%d/%m/%Y}",
            "reason": "Mở lại",
            "version": campaign.version,
        },
    )
    assert extending.status_code == expected(302, CHANGE, persona)
    assert AuditEvent.objects.filter(action="campaign.extend").exists() == (persona in CHANGE)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, campaign: Campaign) -> None:
    for response in (
        client.get(url("campaign_create")),
        client.get(url("campaign_units", campaign)),
        client.get(url("campaign_update", campaign)),
        client.get(url("campaign_extend", campaign)),
        client.post(url("campaign_close", campaign), {"version": campaign.version}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_campaign_is_404_everywhere(client: Client, people: People) -> None:
    client.force_login(people.admin)
    missing = Campaign(pk=999999)
    for name in ("campaign_detail", "campaign_units", "campaign_update", "campaign_extend"):
        assert client.get(url(name, missing)).status_code == 404
    assert client.post(url("campaign_close", missing), {"version": 1}).status_code == 404


def add_dossiers(campaign: Campaign, unit: Unit, *statuses: str) -> None:
    Initiative.objects.bulk_create(
        [
            Initiative(campaign=campaign, unit=unit, title=f"Sáng kiến {i}", status=s)
            for i, s in enumerate(statuses)
        ]
    )


def test_the_table_counts_what_reached_the_campaign_and_what_awaits_the_head(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(min_initiatives_per_unit=2)
    campaign.refresh_from_db()
    other = load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.commune],
    )
    add_dossiers(campaign, org.science, S.SUBMITTED, S.ACCEPTED, S.RECOGNISED, S.DRAFT, S.RETURNED)
    add_dossiers(campaign, org.commune, S.AWAITING_CONFIRMATION, S.IN_REVIEW, S.DRAFT)
    add_dossiers(other, org.commune, S.SUBMITTED, S.SUBMITTED)  # another campaign: not counted here
    add_dossiers(campaign, org.office, S.SUBMITTED)  # not an eligible unit
    progress = {
        row.unit.code: (row.received, row.awaiting, row.reached_minimum)
        for row in campaign_progress(campaign).rows
    }
    assert progress == {"SKHCN": (3, 0, True), "XHT": (1, 1, False)}
    client.force_login(people.reform_officer)
    body = client.get(url("campaign_units", campaign)).content.decode()
    assert "Chưa đủ" in body and "Đã đủ" in body and "Chưa có hồ sơ" not in body


def test_the_kept_counts_follow_a_dossier_sent_once_it_commits(
    campaign: Campaign,
    org: Org,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The totals and the page's rows are kept (caicach.core.choices.kept_while_read): a
    second look reads nothing; a dossier sent counts as soon as its transaction commits."""
    add_dossiers(campaign, org.science, S.SUBMITTED)
    assert campaign_progress(campaign).received == 1
    with django_assert_max_num_queries(0):
        assert campaign_progress(campaign).received == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        add_dossiers(campaign, org.commune, S.SUBMITTED, S.AWAITING_CONFIRMATION)
    progress = campaign_progress(campaign)
    assert (progress.received, progress.awaiting, progress.without_dossier) == (2, 1, 0)


def test_the_table_pages_its_units_with_the_totals_of_all(
    campaign: Campaign, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_dossiers(campaign, org.science, S.SUBMITTED, S.AWAITING_CONFIRMATION)
    monkeypatch.setattr(campaign_queries, "UNITS_PAGE_SIZE", 1)
    pages = {number: campaign_progress(campaign, number) for number in ("1", "2", "99", "x")}
    shown = {
        number: [(row.unit.code, row.unit.name, row.received) for row in p.rows]
        for number, p in pages.items()
    }
    assert shown["1"] == shown["x"] == [("XHT", org.commune.name, 0)]
    assert shown["2"] == shown["99"] == [("SKHCN", org.science.name, 1)]
    for progress in pages.values():
        assert (progress.unit_count, progress.without_dossier, progress.received, progress.awaiting) == (
            2,
            1,
            1,
            1,
        )
        assert progress.page_obj.paginator.num_pages == 2
    assert [p.page_obj.number for p in pages.values()] == [1, 2, 2, 1]
    add_dossiers(campaign, org.commune, S.SUBMITTED, S.SUBMITTED)  # now ordered by code alone
    assert [row.unit.code for row in campaign_progress(campaign, "1").rows] == ["SKHCN"]


def test_units_without_any_dossier_are_listed_first_and_highlighted(
    client: Client, campaign: Campaign, org: Org, people: People
) -> None:
    add_dossiers(campaign, org.science, S.SUBMITTED)
    client.force_login(people.unit_staff)
    page = client.get(url("campaign_detail", campaign))
    rows = page.context["progress"].rows
    assert [(row.unit.code, row.has_none) for row in rows] == [("XHT", True), ("SKHCN", False)]
    body = page.content.decode()
    assert 'class="unit-none"' in body and "Chưa có hồ sơ" in body
    assert page.context["progress"].without_dossier == 1


def test_the_table_is_polled_every_30_seconds_while_the_campaign_runs(
    client: Client, campaign: Campaign, people: People
) -> None:
    client.force_login(people.reform_officer)
    body = client.get(url("campaign_detail", campaign)).content.decode()
    assert f'hx-get="{url("campaign_units", campaign)}?page=1"' in body
    assert 'hx-trigger="every 30s"' in body
    partial = client.get(url("campaign_units", campaign), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "Tình hình gửi sáng kiến" in partial.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    assert 'hx-trigger="every 30s"' not in client.get(url("campaign_detail", campaign)).content.decode()


def test_the_page_says_whether_dossiers_are_received(
    client: Client, campaign: Campaign, people: People
) -> None:
    client.force_login(people.unit_head)
    assert "Đang nhận hồ sơ" in client.get(url("campaign_detail", campaign)).content.decode()
    ended = TODAY - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(window_end=ended)
    body = client.get(url("campaign_detail", campaign)).content.decode()
    assert f"Hết hạn nhận hồ sơ ngày {ended:%d/%m/%Y}" in body
    assert "Đang nhận hồ sơ" not in body


def test_the_buttons_follow_the_state_and_the_rights(
    client: Client, campaign: Campaign, draft: Campaign, people: People
) -> None:
    client.force_login(people.reform_officer)
    body = client.get(url("campaign_detail", draft)).content.decode()
    assert url("campaign_update", draft) in body and url("campaign_publish", draft) in body
    assert url("campaign_extend", draft) not in body and url("campaign_close", draft) not in body
    body = client.get(url("campaign_detail", campaign)).content.decode()
    assert url("campaign_update", campaign) not in body
    assert url("campaign_extend", campaign) in body and url("campaign_close", campaign) in body
    assert url("campaign_plan", campaign) in body
    client.force_login(people.unit_head)
    body = client.get(url("campaign_detail", campaign)).content.decode()
    assert url("campaign_extend", campaign) not in body and url("campaign_close", campaign) not in body


def test_extending_from_the_page_shows_errors_next_to_the_fields(
    client: Client, campaign: Campaign, people: People
) -> None:
    client.force_login(people.reform_officer)
    response = client.post(
        url("campaign_extend", campaign),
        {
            "new_end": f"{TODAY - datetime.timedelta(days=3):%d/%m/%Y}",
            "reason": "Lý do",
            "version": campaign.version,
        },
    )
    assert response.status_code == 200
    assert "không được trước ngày hôm nay" in response.context["form"].errors["new_end"][0]
    response = client.post(
        url("campaign_extend", campaign),
        {
            "new_end": f"{TODAY + datetime.timedelta(days=30):%d/%m/%Y}",
            "reason": "",
            "version": campaign.version,
        },
    )
    assert "reason" in response.context["form"].errors
    assert Campaign.objects.get(pk=campaign.pk).window_end == campaign.window_end


def test_a_stale_close_is_refused_with_a_message(client: Client, campaign: Campaign, people: People) -> None:
    client.force_login(people.reform_officer)
    response = client.post(url("campaign_close", campaign), {"version": campaign.version - 1}, follow=True)
    assert "tải lại trang" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PUBLISHED


def fill(campaign: Campaign, units: int, dossiers: int) -> None:
    created = Unit.objects.bulk_create(
        [
            Unit(code=f"Q{i:04d}", name=f"UBND xã số {i}", kind=UnitKind.COMMUNE_COMMITTEE)
            for i in range(units)
        ]
    )
    campaign.eligible_units.add(*created)
    # Half the units send dossiers; each of them one in every status, round after round.
    statuses = [S.SUBMITTED, S.AWAITING_CONFIRMATION, S.DRAFT, S.ACCEPTED, S.IN_REVIEW]
    senders = units // 2
    Initiative.objects.bulk_create(
        [
            Initiative(
                campaign=campaign, unit=created[i % senders], title=f"SK {i}",
                status=statuses[(i // senders) % len(statuses)],
            )
            for i in range(dossiers)
        ]
    )  # fmt: skip


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_campaign_page_costs_the_same_with_200_units_and_500_dossiers(
    client: Client,
    campaign: Campaign,
    people: People,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.reform_officer)
    client.get(url("campaign_detail", campaign))  # the first request after logging in also writes the session
    small = queries_for(client, url("campaign_detail", campaign))
    # Committed: the kept counts are forgotten (caicach.core.choices).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        fill(campaign, 200, 500)
    # 12 today; the rest is room for the council and recognition partials of other areas.
    with django_assert_max_num_queries(18):
        response = client.get(url("campaign_detail", campaign))
    assert queries_for(client, url("campaign_detail", campaign)) == small
    progress = response.context["progress"]
    assert progress.unit_count == 202
    assert progress.without_dossier == 102  # half the new communes, and the two fixture units
    assert progress.received == 300 and progress.awaiting == 100
    # The totals cover every unit; the table shows one page of them, laggards first.
    assert len(progress.rows) == 50 and all(row.has_none for row in progress.rows)
    with django_assert_max_num_queries(10):
        last = client.get(url("campaign_units", campaign), {"page": 5})
    assert last.status_code == 200
    assert len(last.context["progress"].rows) == 2
